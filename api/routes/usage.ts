// The caller's tenant usage: model calls, tokens and USD, in total and by model, optionally within
// a time window. Summed from the per-call ledger written with each step's reply.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { UsageRepository } from '../../stores/usage-repository';
import { principalOf } from '../auth';
import { errorResponse, usageQuery, usageResource } from '../schemas';

export function usageRoutes(usage: UsageRepository): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/usage', {
      config: { permission: 'usage:read' },
      schema: { summary: "Your tenant's model usage and cost, in total and by model", querystring: usageQuery, response: { 200: usageResource, 400: errorResponse } },
    }, async (request) => {
      const { tenantId } = principalOf(request);
      const { from, to } = request.query;
      const totals = await usage.forTenant(tenantId, { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
      return { tenantId, from: from ?? null, to: to ?? null, ...totals };
    });
  };
}
