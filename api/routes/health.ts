// Liveness (`/healthz`: the process serves) and readiness (`/readyz`: its dependencies answer), both
// outside /v1 and unauthenticated, so load balancers and orchestrators can probe them.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReadinessProbes } from '../health/readiness-probes';
import { NO_API_KEY } from '../permissions';

const dependencyStatus = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });
const readinessBody = z.object({
  status: z.enum(['ready', 'not_ready']),
  dependencies: z.object({ postgres: dependencyStatus, temporal: dependencyStatus, workers: dependencyStatus, redis: dependencyStatus }).partial(),
});

export function healthRoutes(probes: ReadinessProbes): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    routes.get('/healthz', {
      config: { permission: NO_API_KEY },
      schema: { summary: 'Liveness: 200 while the process serves requests', response: { 200: z.object({ status: z.literal('ok') }) } },
    }, async () => ({ status: 'ok' as const }));
    routes.get('/readyz', {
      config: { permission: NO_API_KEY },
      schema: {
        summary: 'Readiness: PostgreSQL, Temporal, Redis (when configured) and workers polling the task queue; 503 when any is down',
        response: { 200: readinessBody, 503: readinessBody },
      },
    }, async (_request, reply) => {
      const readiness = await probes.check();
      return reply.status(readiness.status === 'ready' ? 200 : 503).send(readiness);
    });
    app.addHook('onClose', () => probes.close());
  };
}
