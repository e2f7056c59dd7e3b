// Quota routes: a tenant's limits (platform operator) and a user's within it (tenant admins), each
// replaced whole (a quota left out is unlimited) and audited. GET /v1/usage shows them with use.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditRepository } from '../../stores/audit-repository';
import { TENANT_WIDE, type QuotasRepository } from '../../stores/quotas-repository';
import { quotaLimits, tenantParams, userParams, userQuotaLimits } from '../admin-schemas';
import { principalOf } from '../auth';
import { errorResponse } from '../schemas';
import type { TenantScope } from '../tenant-scope';
import type { UserAdminService } from '../user-admin-service';

const quotasResource = z.object({
  tenantId: z.string(),
  userId: z.string().nullable().describe("null: the tenant's own limits."),
  limits: z.object(Object.fromEntries(Object.keys(quotaLimits.shape).map((name) => [name, z.number().nullable()]))),
});

export function quotaRoutes(deps: { quotas: QuotasRepository; users: Pick<UserAdminService, 'get'>; audit: Pick<AuditRepository, 'record'>; scope: TenantScope }): FastifyPluginAsyncZod {
  return async (app) => {
    app.put('/v1/tenants/:tenantId/quotas', {
      config: { permission: 'tenants:admin' },
      schema: { summary: "Replace a tenant's quotas (platform operator); a quota left out or null is unlimited", params: tenantParams, body: quotaLimits, response: { 200: quotasResource, 400: errorResponse, 404: errorResponse } },
    }, async (request) => {
      const principal = principalOf(request);
      const tenantId = await deps.scope.reach(principal, request.params.tenantId);
      const limits = await deps.quotas.set(tenantId, TENANT_WIDE, request.body);
      await deps.audit.record({ tenantId, actor: principal, action: 'tenant.quotas_replaced', target: { type: 'tenant', id: tenantId }, details: limits });
      return { tenantId, userId: null, limits };
    });

    app.put('/v1/tenants/:tenantId/users/:userId/quotas', {
      config: { permission: 'quotas:write' },
      schema: { summary: "Replace a user's quotas within the tenant's; a quota left out or null is unlimited", params: userParams, body: userQuotaLimits, response: { 200: quotasResource, 400: errorResponse, 404: errorResponse } },
    }, async (request) => {
      const principal = principalOf(request);
      const tenantId = await deps.scope.reach(principal, request.params.tenantId);
      const user = await deps.users.get(tenantId, request.params.userId);
      const limits = await deps.quotas.set(tenantId, user.id, request.body);
      await deps.audit.record({ tenantId, actor: principal, action: 'user.quotas_replaced', target: { type: 'user', id: user.id }, details: limits });
      return { tenantId, userId: user.id, limits };
    });
  };
}
