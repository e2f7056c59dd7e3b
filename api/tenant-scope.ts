// Which tenant an admin route may touch: the caller's own, or (platform operator) any that exists.
// Any other tenant is "not found", exactly like one that does not exist, so ids are not confirmed.
import { roleCan } from '../core/access';
import type { Principal } from '../stores/api-keys-repository';
import type { TenantsRepository } from '../stores/tenants-repository';
import { notFound } from './http-error';

export class TenantScope {
  constructor(private readonly tenants: Pick<TenantsRepository, 'get'>) {}

  /** The tenant id when the principal may act in it; throws 404 otherwise. */
  async reach(principal: Principal, tenantId: string): Promise<string> {
    if (roleCan(principal.role, 'tenants:admin')) {
      if (!(await this.tenants.get(tenantId))) throw notFound('tenant', tenantId);
      return tenantId;
    }
    if (tenantId !== principal.tenantId) throw notFound('tenant', tenantId);
    return tenantId;
  }
}
