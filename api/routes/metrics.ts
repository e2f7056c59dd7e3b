// GET /metrics: the API's Prometheus series, outside /v1 like the health routes and guarded by the
// operator's KEEL_METRICS_TOKEN (not a tenant's key: tenant ids are label values), and the hook
// that counts every request.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearerCheck, type KeelMetrics } from '../../runtime/metrics';
import { HttpError } from '../http-error';
import { NO_API_KEY } from '../permissions';
import { errorResponse } from '../schemas';

/** Requests that matched no route share one label, so scanners cannot grow the series set. */
export const UNMATCHED_ROUTE = 'unmatched';

export function metricsRoutes(metrics: KeelMetrics, token: string | undefined): FastifyPluginAsync {
  const matches = bearerCheck(token);
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/metrics', {
      config: { permission: NO_API_KEY },
      onRequest: async (request) => {
        if (!matches(request.headers.authorization)) throw new HttpError(401, 'unauthorized', 'missing or wrong metrics token; expected "Authorization: Bearer <KEEL_METRICS_TOKEN>"');
      },
      schema: {
        summary: 'Prometheus metrics of this API process (text exposition format); Bearer KEEL_METRICS_TOKEN when it is set',
        response: { 200: z.string(), 401: errorResponse },
      },
    }, async (_request, reply) => {
      const { contentType, text } = await metrics.exposition();
      return reply.type(contentType).send(text);
    });
  };
}

/** Registered on the root app, so it sees every route, /v1 and the rest. */
export function countRequests(app: FastifyInstance, metrics: KeelMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    if (route === '/metrics') return;
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
