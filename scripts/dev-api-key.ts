// The embedded mode's tenant and API key: KEEL_API_KEY when set, otherwise a key created once and
// kept in .keel/dev-api-key (local development only; production keys are created per tenant).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../stores/database';
import { TenantsRepository } from '../stores/tenants-repository';

export const DEV_TENANT_ID = 'default';
export const DEV_USER_ID = 'dev';

export async function ensureDevApiKey(db: Database, home: string, fromEnvironment?: string): Promise<string> {
  const tenants = new TenantsRepository(db);
  await tenants.ensureTenant(DEV_TENANT_ID, 'Default tenant');
  const file = path.join(home, 'dev-api-key');
  const key = fromEnvironment ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  if (key && (await tenants.resolveApiKey(key))) return key;
  const created = await tenants.createApiKey({ tenantId: DEV_TENANT_ID, userId: DEV_USER_ID, name: 'dev', role: 'admin', key });
  if (!fromEnvironment) writeFileSync(file, `${created.key}\n`, { mode: 0o600 });
  return created.key;
}
