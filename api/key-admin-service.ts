// What the API-key routes do: create a key for a user (its secret returned once), list keys by
// prefix with last use and expiry, rotate with an overlap window, revoke; each action audited.
import type { ApiKeysRepository, KeyRow, Principal } from '../stores/api-keys-repository';
import type { AuditRepository } from '../stores/audit-repository';
import { HttpError, notFound } from './http-error';
import { assertGrantable, type UserAdminService } from './user-admin-service';

export type KeyAdminDeps = {
  keys: ApiKeysRepository;
  users: Pick<UserAdminService, 'get'>;
  audit: Pick<AuditRepository, 'record'>;
  onAccessChanged: () => void;
};

export function keyStatus(row: KeyRow, now = new Date()): 'active' | 'expired' | 'revoked' {
  if (row.revokedAt) return 'revoked';
  return row.expiresAt && row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

export function toKeyResource(row: KeyRow) {
  return {
    id: row.id, tenantId: row.tenantId, userId: row.userId, name: row.name, prefix: row.keyPrefix, status: keyStatus(row),
    createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt?.toISOString() ?? null, lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null, rotatedTo: row.rotatedTo ?? null,
  };
}

export class KeyAdminService {
  constructor(private readonly deps: KeyAdminDeps) {}

  async create(principal: Principal, tenantId: string, body: { userId: string; name: string; expiresAt?: string; expiresInSeconds?: number }): Promise<{ row: KeyRow; key: string }> {
    if (body.expiresAt !== undefined && body.expiresInSeconds !== undefined) {
      throw new HttpError(400, 'invalid_request', 'give either "expiresAt" or "expiresInSeconds", not both', { fields: ['body.expiresAt', 'body.expiresInSeconds'] });
    }
    const expiresAt = body.expiresAt !== undefined ? new Date(body.expiresAt) : body.expiresInSeconds !== undefined ? new Date(Date.now() + body.expiresInSeconds * 1000) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw new HttpError(400, 'invalid_request', '"expiresAt" must be in the future', { field: 'body.expiresAt' });
    const user = await this.deps.users.get(tenantId, body.userId).catch((error: unknown) => {
      if (error instanceof HttpError && error.statusCode === 404) throw new HttpError(404, 'not_found', `user ${body.userId} not found`, { field: 'body.userId' });
      throw error;
    });
    // A key acts with its user's role: minting one is handing that role out.
    assertGrantable(principal, tenantId, user.role, 'body.userId');
    const created = await this.deps.keys.create({ tenantId, userId: user.id, name: body.name, role: user.role, expiresAt });
    await this.audit(principal, tenantId, 'key.created', created.row.id, { userId: user.id, name: body.name, expiresAt: expiresAt?.toISOString() ?? null });
    return created;
  }

  async list(tenantId: string, filter: { userId?: string; prefix?: string; revoked: 'true' | 'false' }): Promise<KeyRow[]> {
    return this.deps.keys.list(tenantId, { userId: filter.userId, prefix: filter.prefix, includeRevoked: filter.revoked === 'true' });
  }

  async rotate(principal: Principal, tenantId: string, keyId: string, overlapSeconds: number): Promise<{ row: KeyRow; key: string; previous: KeyRow }> {
    const old = await this.get(tenantId, keyId);
    const status = keyStatus(old);
    if (status !== 'active') throw new HttpError(409, `key_${status}`, `key ${keyId} is ${status}; create a new key instead`, { status });
    assertGrantable(principal, tenantId, old.role, 'params.keyId');
    const overlapEndsAt = new Date(Date.now() + overlapSeconds * 1000);
    const created = await this.deps.keys.rotate(old, overlapEndsAt);
    this.deps.onAccessChanged();
    await this.audit(principal, tenantId, 'key.rotated', keyId, { newKeyId: created.row.id, oldKeyWorksUntil: overlapEndsAt.toISOString() });
    return { ...created, previous: await this.get(tenantId, keyId) };
  }

  /** Revokes the key (a second revoke answers the revoked key again). */
  async revoke(principal: Principal, tenantId: string, keyId: string): Promise<KeyRow> {
    await this.get(tenantId, keyId);
    if (await this.deps.keys.revoke(tenantId, keyId)) {
      this.deps.onAccessChanged();
      await this.audit(principal, tenantId, 'key.revoked', keyId, {});
    }
    return this.get(tenantId, keyId);
  }

  private async get(tenantId: string, keyId: string): Promise<KeyRow> {
    const row = await this.deps.keys.get(tenantId, keyId);
    if (!row) throw notFound('key', keyId);
    return row;
  }

  private async audit(principal: Principal, tenantId: string, action: string, keyId: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ tenantId, actor: principal, action, target: { type: 'key', id: keyId }, details });
  }
}
