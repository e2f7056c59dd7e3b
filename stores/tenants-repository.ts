// Tenants: created, listed, suspended and resumed by the platform operator; each one's default run
// policy. Their API keys live in api-keys-repository.ts (re-exported here for existing callers).
import { eq, gt, sql } from 'drizzle-orm';
import type { Database } from './database';
import { ApiKeysRepository, type Principal } from './api-keys-repository';
import { tenants } from './schema';
import { runPolicySchema, type RunPolicy } from '../core/run-policy';

export { API_KEY_PREFIX, hashApiKey, type Principal } from './api-keys-repository';

export type TenantRow = typeof tenants.$inferSelect;

export class TenantsRepository {
  private readonly keys: ApiKeysRepository;

  constructor(private readonly db: Database) {
    this.keys = new ApiKeysRepository(db);
  }

  async ensureTenant(id: string, name: string): Promise<void> {
    await this.db.insert(tenants).values({ id, name }).onConflictDoNothing();
  }

  /** Inserts a tenant; undefined when the id is taken. */
  async create(id: string, name: string): Promise<TenantRow | undefined> {
    const rows = await this.db.insert(tenants).values({ id, name }).onConflictDoNothing().returning();
    return rows[0];
  }

  async get(id: string): Promise<TenantRow | undefined> {
    const rows = await this.db.select().from(tenants).where(eq(tenants.id, id));
    return rows[0];
  }

  /** Tenants in id order after `after` (the cursor). */
  async list(options: { after?: string; limit: number }): Promise<TenantRow[]> {
    return this.db.select().from(tenants)
      .where(options.after ? gt(tenants.id, options.after) : undefined)
      .orderBy(tenants.id).limit(options.limit);
  }

  /** Suspends (reason given) or resumes (null) the tenant; undefined when there is no such tenant. */
  async setSuspended(id: string, reason: string | null): Promise<TenantRow | undefined> {
    const rows = await this.db.update(tenants)
      .set(reason === null ? { suspendedAt: null, suspendedReason: null } : { suspendedAt: sql`coalesce(${tenants.suspendedAt}, now())`, suspendedReason: reason })
      .where(eq(tenants.id, id)).returning();
    return rows[0];
  }

  /** Creates a key and returns it in clear, the only time it is visible. */
  async createApiKey(input: { tenantId: string; userId: string; name: string; role?: string; key?: string; expiresAt?: Date }): Promise<{ id: string; key: string }> {
    const { row, key } = await this.keys.create({ ...input, role: input.role ?? 'member' });
    return { id: row.id, key };
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

  /** The key's principal when it is valid now (not revoked, expired, suspended or disabled). */
  async resolveApiKey(key: string): Promise<Principal | undefined> {
    const resolution = await this.keys.resolve(key);
    return resolution.type === 'valid' ? resolution.principal : undefined;
  }
}
