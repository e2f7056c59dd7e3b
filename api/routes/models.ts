// The model catalog as clients see it: each model's tier, price and context window when it is in
// the pool, and for every concrete model its shared circuit state and its latest health checks.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ModelCatalog } from '../../core/model-catalog';
import type { CircuitSnapshot, ModelPool } from '../../core/model-pool';
import type { CircuitBreakerStore } from '../../stores/circuit-breaker';
import { modelsResource, type modelResource } from '../schemas';

export type ModelRoutesDeps = { catalog: ModelCatalog; pool?: ModelPool; circuits: CircuitBreakerStore; defaultModel: string };

const isoOrNull = (epochMs: number | undefined) => (epochMs === undefined ? null : new Date(epochMs).toISOString());

function circuitOf(snapshot: CircuitSnapshot | undefined): z.infer<typeof modelResource>['circuit'] {
  if (!snapshot) return null;
  return {
    state: snapshot.state,
    consecutiveFailures: snapshot.consecutiveFailures,
    retryAt: snapshot.state === 'closed' ? null : isoOrNull(snapshot.retryAt),
    lastError: snapshot.lastError ?? null,
    lastLatencyMs: snapshot.lastLatencyMs ?? null,
    lastCheckedAt: isoOrNull(snapshot.lastCheckedAt),
    lastHealthOk: snapshot.lastHealthOk ?? null,
  };
}

export function modelRoutes(deps: ModelRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/models', {
      config: { permission: 'models:read' },
      schema: { summary: 'Models this deployment can run: pool tier, price, circuit state and last health check', response: { 200: modelsResource } },
    }, async () => {
      const specs = deps.catalog.list();
      const concrete = specs.filter((spec) => !spec.id.endsWith('/*')).map((spec) => spec.id);
      const [circuits, checks] = await Promise.all([deps.circuits.states(concrete), deps.circuits.healthChecks(concrete)]);
      return {
        default: deps.defaultModel,
        selection: deps.pool ? 'pool' as const : 'default-model' as const,
        models: specs.map((spec) => {
          const pooled = deps.pool?.model(spec.id);
          return {
            id: spec.id,
            provider: spec.provider,
            model: spec.model,
            tier: pooled?.tier ?? null,
            contextWindow: pooled?.contextWindow ?? null,
            pricing: pooled?.pricing ?? null,
            circuit: circuitOf(circuits[spec.id]),
            healthChecks: (checks[spec.id] ?? []).map((check) => ({ at: new Date(check.at).toISOString(), ok: check.ok, latencyMs: check.latencyMs, error: check.error ?? null })),
          };
        }),
      };
    });
  };
}
