// The caller's tenant usage: model calls, tokens and USD, in total and by model, optionally within
// a time window, and per UTC day and model (the console's charts), summed from the per-call ledger
// written with each step's reply; and the quotas, and the response cache's and similar-query
// dedupe's hits and misses in the window.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { QuotaGuard } from '../quota-guard';
import type { UsageRepository } from '../../stores/usage-repository';
import type { CacheLookupsRepository } from '../../stores/cache-lookups-repository';
import { principalOf } from '../auth';
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
      const { from, to } = request.query;
      const window = { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
      const totals = await usage.forTenant(tenantId, window);
      const cache = await cacheLookups.forTenant(tenantId, window);
      return { tenantId, from: from ?? null, to: to ?? null, ...totals, quotas: await quotas.status(principal), cache };
    });

    app.get('/v1/usage/daily', {
      config: { permission: 'usage:read' },
      schema: { summary: "Your tenant's model usage and cost per UTC day and model, over the last `days` days", querystring: dailyUsageQuery, response: { 200: dailyUsageResource, 400: errorResponse } },
    }, async (request) => {
      const { tenantId } = principalOf(request);
      const today = new Date();
      const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + DAY_MS);
      const from = new Date(to.getTime() - request.query.days * DAY_MS);
      const days = await usage.dailyForTenant(tenantId, { from, to });
      return { tenantId, from: from.toISOString(), to: to.toISOString(), days };
    });
  };
}
