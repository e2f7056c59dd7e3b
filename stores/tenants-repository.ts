// Tenants and their API keys. Keys are random, shown once, stored as sha256 hashes.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { ulid } from 'ulid';
import type { Database } from './database';
import { apiKeys, tenants } from './schema';
import { runPolicySchema, type RunPolicy } from '../core/run-policy';

export const API_KEY_PREFIX = 'keel_';

export type Principal = { tenantId: string; userId: string; role: string; keyId: string };

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class TenantsRepository {
  constructor(private readonly db: Database) {}

  async ensureTenant(id: string, name: string): Promise<void> {
    await this.db.insert(tenants).values({ id, name }).onConflictDoNothing();
  }

  /** Creates a key and returns it in clear, the only time it is visible. */
  async createApiKey(input: { tenantId: string; userId: string; name: string; role?: string; key?: string }): Promise<{ id: string; key: string }> {
    const key = input.key ?? `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const id = `key_${ulid()}`;
    await this.db.insert(apiKeys).values({
      id,
      tenantId: input.tenantId,
      userId: input.userId,
      name: input.name,
      role: input.role ?? 'member',
      keyHash: hashApiKey(key),
      keyPrefix: key.slice(0, API_KEY_PREFIX.length + 4),
    }).onConflictDoNothing();
    return { id, key };
  }

  /** The tenant's stored default run policy, parsed (defaults filled in); a malformed one throws a ZodError. */
  async getPolicy(tenantId: string): Promise<RunPolicy | undefined> {
    const rows = await this.db.select({ policy: tenants.policy }).from(tenants).where(eq(tenants.id, tenantId));
    const stored = rows[0]?.policy ?? undefined;
    return stored === undefined || stored === null ? undefined : runPolicySchema.parse(stored);
  }

  async setPolicy(tenantId: string, policy: unknown): Promise<void> {
    await this.db.update(tenants).set({ policy }).where(eq(tenants.id, tenantId));
  }

  async resolveApiKey(key: string): Promise<Principal | undefined> {
    const rows = await this.db
      .select({ id: apiKeys.id, tenantId: apiKeys.tenantId, userId: apiKeys.userId, role: apiKeys.role })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
    const row = rows[0];
    return row ? { tenantId: row.tenantId, userId: row.userId, role: row.role, keyId: row.id } : undefined;
  }
}
