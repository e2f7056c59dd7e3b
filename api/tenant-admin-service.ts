// What the tenant routes do (platform operator only): create, list, read, suspend and resume
// tenants, each action audited. A suspension takes effect on this process at once (its auth cache
// is cleared) and on other API replicas within the auth cache period.
import { ulid } from 'ulid';
import { PLATFORM_TENANT_ID } from '../core/access';
import type { Principal } from '../stores/api-keys-repository';
import type { AuditRepository } from '../stores/audit-repository';
import type { TenantRow, TenantsRepository } from '../stores/tenants-repository';
import { HttpError, notFound } from './http-error';

export type TenantAdminDeps = {
  tenants: TenantsRepository;
  audit: Pick<AuditRepository, 'record'>;
  /** Called after a change to who may do what, so cached principals are dropped. */
  onAccessChanged: () => void;
};

export function toTenantResource(row: TenantRow) {
  return {
    id: row.id, name: row.name, status: row.suspendedAt ? 'suspended' as const : 'active' as const,
    suspendedAt: row.suspendedAt?.toISOString() ?? null, suspendedReason: row.suspendedReason ?? null, createdAt: row.createdAt.toISOString(),
  };
}

export class TenantAdminService {
  constructor(private readonly deps: TenantAdminDeps) {}

  async create(principal: Principal, body: { id?: string; name: string }): Promise<TenantRow> {
    const id = body.id ?? `t_${ulid().toLowerCase()}`;
    const row = await this.deps.tenants.create(id, body.name);
    if (!row) throw new HttpError(409, 'tenant_exists', `tenant ${id} already exists`, { field: 'body.id' });
    await this.audit(principal, 'tenant.created', id, { name: body.name });
    return row;
  }

  async list(options: { cursor?: string; limit: number }): Promise<{ rows: TenantRow[]; nextCursor: string | null }> {
    const rows = await this.deps.tenants.list({ after: options.cursor, limit: options.limit });
    return { rows, nextCursor: rows.length === options.limit ? rows.at(-1)!.id : null };
  }

  async get(id: string): Promise<TenantRow> {
    const row = await this.deps.tenants.get(id);
    if (!row) throw notFound('tenant', id);
    return row;
  }

  async suspend(principal: Principal, id: string, reason: string | undefined): Promise<TenantRow> {
    if (id === PLATFORM_TENANT_ID) {
      await this.get(id);
      throw new HttpError(409, 'platform_tenant', 'the platform tenant cannot be suspended: its operators would be locked out', { field: 'params.tenantId' });
    }
    const row = await this.deps.tenants.setSuspended(id, reason ?? 'suspended by the platform operator');
    if (!row) throw notFound('tenant', id);
    this.deps.onAccessChanged();
    await this.audit(principal, 'tenant.suspended', id, { reason: row.suspendedReason });
    return row;
  }

  async resume(principal: Principal, id: string): Promise<TenantRow> {
    const row = await this.deps.tenants.setSuspended(id, null);
    if (!row) throw notFound('tenant', id);
    this.deps.onAccessChanged();
    await this.audit(principal, 'tenant.resumed', id);
    return row;
  }

  private async audit(principal: Principal, action: string, tenantId: string, details?: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ tenantId, actor: principal, action, target: { type: 'tenant', id: tenantId }, details });
  }
}
