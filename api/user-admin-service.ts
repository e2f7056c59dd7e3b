// What the user routes do: create, list and change (role, disabled) the users of a tenant. A caller
// hands out only roles whose every permission it holds, and changes only users it could have made:
// an admin cannot make or touch an owner, nobody but a platform operator makes a platform operator.
import { PLATFORM_TENANT_ID, roleMayGrant, type Role } from '../core/access';
import type { Principal } from '../stores/api-keys-repository';
import type { AuditRepository } from '../stores/audit-repository';
import type { UserRow, UsersRepository } from '../stores/users-repository';
import { HttpError, notFound } from './http-error';

export type UserAdminDeps = {
  users: UsersRepository;
  audit: Pick<AuditRepository, 'record'>;
  onAccessChanged: () => void;
};

export function toUserResource(row: UserRow) {
  return {
    id: row.id, tenantId: row.tenantId, name: row.name, email: row.email ?? null, role: row.role,
    status: row.disabledAt ? 'disabled' as const : 'active' as const, disabledAt: row.disabledAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString(),
  };
}

/** Throws unless the principal may hand out `role` in `tenantId`; `field` names where the role came from. */
export function assertGrantable(principal: Principal, tenantId: string, role: string, field: string): void {
  if (role === 'platform' && tenantId !== PLATFORM_TENANT_ID) {
    throw new HttpError(400, 'invalid_request', `the platform role belongs to users of the "${PLATFORM_TENANT_ID}" tenant`, { field });
  }
  if (!roleMayGrant(principal.role, role)) {
    throw new HttpError(403, 'role_not_grantable', `role "${principal.role}" may not grant or manage role "${role}"`, { field, role });
  }
}

export class UserAdminService {
  constructor(private readonly deps: UserAdminDeps) {}

  async create(principal: Principal, tenantId: string, body: { id: string; name: string; email?: string; role: Role }): Promise<UserRow> {
    assertGrantable(principal, tenantId, body.role, 'body.role');
    const row = await this.deps.users.create({ tenantId, ...body });
    if (!row) throw new HttpError(409, 'user_exists', `user ${body.id} already exists`, { field: 'body.id' });
    await this.audit(principal, tenantId, 'user.created', body.id, { role: body.role });
    return row;
  }

  async list(tenantId: string): Promise<UserRow[]> {
    return this.deps.users.list(tenantId);
  }

  async get(tenantId: string, userId: string): Promise<UserRow> {
    const row = await this.deps.users.get(tenantId, userId);
    if (!row) throw notFound('user', userId);
    return row;
  }

  async update(principal: Principal, tenantId: string, userId: string, change: { role?: Role; disabled?: boolean }): Promise<UserRow> {
    const current = await this.get(tenantId, userId);
    assertGrantable(principal, tenantId, current.role, 'params.userId');
    if (change.role !== undefined) assertGrantable(principal, tenantId, change.role, 'body.role');
    const row = await this.deps.users.update(tenantId, userId, change);
    if (!row) throw notFound('user', userId);
    this.deps.onAccessChanged();
    await this.audit(principal, tenantId, 'user.updated', userId, {
      ...(change.role !== undefined && { role: { from: current.role, to: change.role } }),
      ...(change.disabled !== undefined && { disabled: change.disabled }),
    });
    return row;
  }

  private async audit(principal: Principal, tenantId: string, action: string, userId: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ tenantId, actor: principal, action, target: { type: 'user', id: userId }, details });
  }
}
