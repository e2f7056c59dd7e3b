// API keys: random secrets shown once, stored as SHA-256 hashes, found by their prefix and compared
// in constant time; expiry, rotation with an overlap window, revocation and last use.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import type { Database } from './database';
import { apiKeys, tenants, users } from './schema';

export const API_KEY_PREFIX = 'keel_';
/** What identifies a key in lists and is indexed for lookup: `keel_` and four characters of the secret. */
export const KEY_PREFIX_LENGTH = API_KEY_PREFIX.length + 4;
/** 32 random bytes: a SHA-256 of it needs no slow hash, there is nothing to guess. */
const SECRET_BYTES = 32;

export type Principal = { tenantId: string; userId: string; role: string; keyId: string };

export type KeyRow = typeof apiKeys.$inferSelect;

/** What a presented key turns out to be. */
export type KeyResolution =
  | { type: 'valid'; principal: Principal; expiresAt: Date | null }
  | { type: 'unknown' }
  | { type: 'expired'; keyId: string }
  | { type: 'tenant_suspended'; tenantId: string }
  | { type: 'user_disabled'; userId: string };

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

export type NewApiKey = { tenantId: string; userId: string; name: string; role: string; key?: string; expiresAt?: Date | null };

export class ApiKeysRepository {
  constructor(private readonly db: Database) {}

  /** Creates a key and returns its secret in clear, the only time it is visible. */
  async create(input: NewApiKey): Promise<{ row: KeyRow; key: string }> {
    const key = input.key ?? newApiKeySecret();
    const inserted = await this.db.insert(apiKeys).values({
      id: `key_${ulid()}`, tenantId: input.tenantId, userId: input.userId, name: input.name, role: input.role,
      keyHash: hashApiKey(key), keyPrefix: key.slice(0, KEY_PREFIX_LENGTH), expiresAt: input.expiresAt ?? null,
    }).onConflictDoNothing().returning();
    const row = inserted[0] ?? (await this.db.select().from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(key))))[0];
    if (!row) throw new Error('an API key conflicted on insert but cannot be found');
    return { row, key };
  }

  async resolve(key: string, now = new Date()): Promise<KeyResolution> {
    const presented = Buffer.from(hashApiKey(key), 'hex');
    const candidates = await this.db
      .select({ key: apiKeys, suspendedAt: tenants.suspendedAt, userRole: users.role, userDisabledAt: users.disabledAt })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .leftJoin(users, and(eq(users.tenantId, apiKeys.tenantId), eq(users.id, apiKeys.userId)))
      .where(and(eq(apiKeys.keyPrefix, key.slice(0, KEY_PREFIX_LENGTH)), isNull(apiKeys.revokedAt)));
    // Every candidate is compared, so the time taken says nothing about which one matched.
    let match: (typeof candidates)[number] | undefined;
    for (const candidate of candidates) {
      const stored = Buffer.from(candidate.key.keyHash, 'hex');
      if (stored.length === presented.length && timingSafeEqual(stored, presented)) match = candidate;
    }
    if (!match) return { type: 'unknown' };
    const row = match.key;
    if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return { type: 'expired', keyId: row.id };
    if (match.suspendedAt) return { type: 'tenant_suspended', tenantId: row.tenantId };
    if (match.userDisabledAt) return { type: 'user_disabled', userId: row.userId };
    return {
      type: 'valid', expiresAt: row.expiresAt,
      principal: { tenantId: row.tenantId, userId: row.userId, role: match.userRole ?? row.role, keyId: row.id },
    };
  }

  async touch(keyId: string): Promise<void> {
    await this.db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, keyId));
  }

  async get(tenantId: string, keyId: string): Promise<KeyRow | undefined> {
    const rows = await this.db.select().from(apiKeys).where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
    return rows[0];
  }

  async list(tenantId: string, filter: { userId?: string; prefix?: string; includeRevoked?: boolean }): Promise<KeyRow[]> {
    const conditions = [eq(apiKeys.tenantId, tenantId)];
    if (filter.userId) conditions.push(eq(apiKeys.userId, filter.userId));
    if (filter.prefix) conditions.push(sql`starts_with(${apiKeys.keyPrefix}, ${filter.prefix})`);
    if (!filter.includeRevoked) conditions.push(isNull(apiKeys.revokedAt));
    return this.db.select().from(apiKeys).where(and(...conditions)).orderBy(apiKeys.createdAt, apiKeys.id);
  }

  /**
   * The old key keeps working until `overlapEndsAt` (or its own earlier expiry); the new one, returned
   * once, gets the lifetime the old one was given (none when it had none).
   */
  async rotate(old: KeyRow, overlapEndsAt: Date, now = new Date()): Promise<{ row: KeyRow; key: string }> {
    const expiresAt = old.expiresAt ? new Date(now.getTime() + (old.expiresAt.getTime() - old.createdAt.getTime())) : null;
    const created = await this.create({ tenantId: old.tenantId, userId: old.userId, name: old.name, role: old.role, expiresAt });
    const ends = old.expiresAt && old.expiresAt < overlapEndsAt ? old.expiresAt : overlapEndsAt;
    await this.db.update(apiKeys).set({ expiresAt: ends, rotatedTo: created.row.id }).where(eq(apiKeys.id, old.id));
    return created;
  }

  /** Revokes the key; false when it was already revoked (or is not the tenant's). */
  async revoke(tenantId: string, keyId: string): Promise<boolean> {
    const rows = await this.db.update(apiKeys).set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
    return rows.length > 0;
  }

  /** Whether a usable (unrevoked, unexpired) key of this role exists: the bootstrap refuses a second platform key. */
  async anyWithRole(role: string, now = new Date()): Promise<boolean> {
    const rows = await this.db.select({ id: apiKeys.id }).from(apiKeys)
      .where(and(eq(apiKeys.role, role), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)))).limit(1);
    return rows.length > 0;
  }
}
