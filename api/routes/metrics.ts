// GET /metrics: the API's Prometheus series (outside /v1 and unauthenticated, like the health
// routes; keep it on a network only Prometheus reaches), and the hook that counts every request.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { KeelMetrics } from '../../runtime/metrics';

/** Requests that matched no route share one label, so scanners cannot grow the series set. */
export const UNMATCHED_ROUTE = 'unmatched';

export function metricsRoutes(metrics: KeelMetrics): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/metrics', {
      schema: { summary: 'Prometheus metrics of this API process (text exposition format)', response: { 200: z.string() } },
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
