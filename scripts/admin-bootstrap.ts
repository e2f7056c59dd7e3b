// `keel admin bootstrap`: the first platform operator key of a fresh database, written to the
// database directly (there is no key yet to call the API with), printed once; refused once one exists.
import { PLATFORM_TENANT_ID } from '../core/access';
import { loadProcessConfig } from '../runtime/load-config';
import { ApiKeysRepository } from '../stores/api-keys-repository';
import type { Database } from '../stores/database';
import { openDatabase } from '../stores/database';
import { applyMigrations } from '../stores/migrate';
import { TenantsRepository } from '../stores/tenants-repository';
import { UsersRepository } from '../stores/users-repository';

export const BOOTSTRAP_USER_ID = 'platform-operator';

/** Thrown when the database already holds a platform operator key: further keys are made over the API. */
export class BootstrapRefused extends Error {
  constructor() {
    super('a platform operator key exists already; create further keys with POST /v1/tenants/platform/keys, or revoke every platform key first (expired ones do not count)');
    this.name = 'BootstrapRefused';
  }
}

export async function bootstrapPlatformKey(db: Database, userId = BOOTSTRAP_USER_ID): Promise<{ keyId: string; key: string }> {
  const keys = new ApiKeysRepository(db);
  if (await keys.anyWithRole('platform')) throw new BootstrapRefused();
  await new TenantsRepository(db).ensureTenant(PLATFORM_TENANT_ID, 'Platform operators');
  const users = new UsersRepository(db);
  if (!(await users.get(PLATFORM_TENANT_ID, userId))) await users.create({ tenantId: PLATFORM_TENANT_ID, id: userId, name: 'Platform operator', role: 'platform' });
  const { row, key } = await keys.create({ tenantId: PLATFORM_TENANT_ID, userId, name: 'bootstrap', role: 'platform' });
  return { keyId: row.id, key };
}

/** The command: migrates the database (a fresh one has no tables), then bootstraps; resolves to the exit code. */
export async function runAdminBootstrap(write: { out: (text: string) => void; err: (text: string) => void }): Promise<number> {
  const config = loadProcessConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
  try {
    await applyMigrations(handle);
    const { keyId, key } = await bootstrapPlatformKey(handle.db);
    write.err(`platform operator key ${keyId} created for user ${BOOTSTRAP_USER_ID}; it is shown once, keep it now:\n`);
    write.out(`${key}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BootstrapRefused) {
      write.err(`error bootstrap_refused: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}
