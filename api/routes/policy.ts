// The tenant's default run policy: read it (resolved, with every default filled in) and, as an
// admin, replace it. Runs resolve it at creation, so a change applies to runs started afterwards.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveRunPolicy, runPolicySchema } from '../../core/run-policy';
import type { AuditRepository } from '../../stores/audit-repository';
import type { TenantsRepository } from '../../stores/tenants-repository';
import { principalOf } from '../auth';
import { invalidPolicy } from '../invalid-policy';
import { errorResponse } from '../schemas';

const policyResource = z.object({
  tenantId: z.string(),
  policy: z.record(z.string(), z.unknown()).describe('The resolved policy runs start from (defaults filled in).'),
});

export function policyRoutes(tenants: TenantsRepository, audit: Pick<AuditRepository, 'record'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/policy', {
      config: { permission: 'policy:read' },
      schema: { summary: "Your tenant's default run policy", response: { 200: policyResource } },
    }, async (request) => {
      const { tenantId } = principalOf(request);
      return { tenantId, policy: resolveRunPolicy(await tenants.getPolicy(tenantId), undefined) };
    });

    app.put('/v1/policy', {
      config: { permission: 'policy:write' },
      schema: {
        summary: "Replace your tenant's default run policy (policy:write); fields left out take Keel's defaults",
        body: z.record(z.string(), z.unknown()),
        response: { 200: policyResource, 400: errorResponse, 403: errorResponse },
      },
    }, async (request) => {
      const principal = principalOf(request);
      const parsed = runPolicySchema.safeParse(request.body);
      if (!parsed.success) throw invalidPolicy(parsed.error, 'body');
      await tenants.setPolicy(principal.tenantId, request.body);
      await audit.record({ tenantId: principal.tenantId, actor: principal, action: 'policy.replaced', target: { type: 'tenant', id: principal.tenantId }, details: { fields: Object.keys(request.body) } });
      return { tenantId: principal.tenantId, policy: parsed.data };
    });
  };
}
