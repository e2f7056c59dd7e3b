// A three-tier model pool on the local model server for integration tests: `primary` (dear),
// `backup` (mid-priced) and `cheap`, each sent to the server as `pool-<id>`, a short circuit
// cooldown, and a health interval long enough never to fire during a test.
import { api } from './api-client';
import type { Harness, ModelServer } from './keel-harness';

export const POOL_MODEL_IDS = ['primary', 'backup', 'cheap'] as const;
export const TEST_COOLDOWN_SECONDS = 3;

export const PRICES = {
  primary: { inputPerMillion: 3, outputPerMillion: 15 },
  backup: { inputPerMillion: 1, outputPerMillion: 5 },
  cheap: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
} as const;

export function poolModel(server: ModelServer, id: keyof typeof PRICES | string, pricing: { inputPerMillion: number; outputPerMillion: number }, extra: Record<string, unknown> = {}) {
  return {
    id,
    provider: 'openai',
    model: `pool-${id}`,
    baseURL: server.openaiBaseURL,
    pricing,
    contextWindow: 200_000,
    capabilities: { tools: true, vision: false, reasoning: false },
    speed: 'fast',
    ...extra,
  };
}

export function testPool(server: ModelServer, extra: { fallback?: Array<Record<string, unknown>>; cooldownSeconds?: number } = {}) {
  return {
    tiers: {
      primary: [poolModel(server, 'primary', PRICES.primary)],
      backup: [poolModel(server, 'backup', PRICES.backup)],
      fallback: [poolModel(server, 'cheap', PRICES.cheap), ...(extra.fallback ?? [])],
    },
    circuit: { failureThreshold: 3, cooldownSeconds: extra.cooldownSeconds ?? TEST_COOLDOWN_SECONDS },
    health: { intervalMinutes: 1440 },
  };
}

/** Scripts every pool model (`pool-*`) with these rules, replacing the previous script. */
export function scriptPool(harness: Harness, rules: unknown[]): void {
  harness.modelServer.addScenario({ name: 'pool', models: 'pool-*', rules: rules as never });
}

/** Closes every pool model's circuit, so each test starts from healthy models. */
export async function resetCircuits(harness: Harness): Promise<void> {
  for (const modelId of POOL_MODEL_IDS) await harness.services.circuits.recordSuccess(modelId);
}

export async function circuitOf(harness: Harness, modelId: string): Promise<any> {
  const models = await api(harness.apiUrl, 'GET', '/v1/models', { key: harness.keys.a });
  return models.body.models.find((model: { id: string }) => model.id === modelId)?.circuit;
}

/** Polls GET /v1/models until `accept` holds for the model's circuit. */
export async function waitForCircuit(harness: Harness, modelId: string, accept: (circuit: any) => boolean, timeoutMs = 10_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const circuit = await circuitOf(harness, modelId);
    if (circuit && accept(circuit)) return circuit;
    if (Date.now() > deadline) throw new Error(`circuit of ${modelId} never matched: ${JSON.stringify(circuit)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function requestsFor(harness: Harness, modelId: string) {
  return harness.modelServer.requests({ model: `pool-${modelId}` });
}
