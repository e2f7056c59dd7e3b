// The caller's tenant usage: model calls, tokens and USD, in total, by model and (asked) by purpose,
// model or user, optionally within a time window, and per UTC day and model (the console's charts),
// summed from the per-call ledger that records every model call; the quotas; and the response
// cache's and similar-query dedupe's hits and misses in the window. A caller who may not read every
// run of the tenant (`runs:read:all`) sees only the calls of their own runs.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { QuotaGuard } from '../quota-guard';
import type { UsageRepository } from '../../stores/usage-repository';
import type { CacheLookupsRepository } from '../../stores/cache-lookups-repository';
import { principalOf } from '../auth';
import { roleCan } from '../../core/access';
import type { Principal } from '../../stores/api-keys-repository';
import { dailyUsageQuery, dailyUsageResource, errorResponse, usageQuery, usageResource } from '../schemas';

const DAY_MS = 86_400_000;

export function usageRoutes(usage: UsageRepository, quotas: Pick<QuotaGuard, 'status'>, cacheLookups: Pick<CacheLookupsRepository, 'forTenant'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/usage', {
      config: { permission: 'usage:read' },
      schema: { summary: "Your tenant's model usage and cost, in total and by model, with its quotas and yours", querystring: usageQuery, response: { 200: usageResource, 400: errorResponse } },
    }, async (request) => {
      const principal = principalOf(request);
      const { tenantId } = principal;
      const { from, to, groupBy } = request.query;
      const scope = usageScope(principal);
      const window = { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
      const totals = await usage.forTenant(tenantId, window, scope.userId);
      const groups = groupBy ? await usage.grouped({ tenantId, userId: scope.userId }, groupBy, window) : [];
      const cache = await cacheLookups.forTenant(tenantId, window);
      return {
        tenantId, from: from ?? null, to: to ?? null, ...totals, scope: scope.kind, groupBy: groupBy ?? null, groups, quotas: await quotas.status(principal), cache,
      };
    });

    app.get('/v1/usage/daily', {
      config: { permission: 'usage:read' },
      schema: { summary: "Your tenant's model usage and cost per UTC day and model, over the last `days` days", querystring: dailyUsageQuery, response: { 200: dailyUsageResource, 400: errorResponse } },
    }, async (request) => {
      const principal = principalOf(request);
      const { tenantId } = principal;
      const scope = usageScope(principal);
      const today = new Date();
      const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + DAY_MS);
      const from = new Date(to.getTime() - request.query.days * DAY_MS);
      const days = await usage.dailyForTenant(tenantId, { from, to }, scope.userId);
      return { tenantId, from: from.toISOString(), to: to.toISOString(), days, scope: scope.kind };
    });
  };
}

/** The tenant's usage for a caller who may read all its runs; otherwise only their own runs' calls. */
function usageScope(principal: Principal): { kind: 'tenant' | 'user'; userId?: string } {
  return roleCan(principal.role, 'runs:read:all') ? { kind: 'tenant' } : { kind: 'user', userId: principal.userId };
}
