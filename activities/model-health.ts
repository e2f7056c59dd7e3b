// One health check of one model: a tiny request (one short message, a few output tokens, no tools,
// no thinking), its latency and outcome recorded in the shared circuit store. An ok check closes a
// recovered model's circuit; a failed one only records what it saw (call failures open circuits).
import type { ModelCatalog } from '../core/model-catalog';
import type { ModelSpec } from '../core/model-spec';
import type { ModelProvider } from '../providers/types';
import type { CircuitBreakerStore } from '../stores/circuit-breaker';
import type { ModelHealthReport } from './contract';
import { errorMessage } from '../core/error-message';

/** A check slower than this counts as failed, whatever the model's own timeout. */
export const HEALTH_CHECK_TIMEOUT_MS = 30_000;
const HEALTH_CHECK_OUTPUT_TOKENS = 16;
const HEALTH_CHECK_PROMPT = 'Reply with the word ok.';

export type ModelHealthDeps = { catalog: ModelCatalog; providerFor: (spec: ModelSpec) => ModelProvider; circuits: CircuitBreakerStore };

export async function checkModelHealth(deps: ModelHealthDeps, input: { modelId: string }): Promise<ModelHealthReport> {
  const started = performance.now();
  let error: string | undefined;
  try {
    const configured = deps.catalog.resolve(input.modelId);
    const spec: ModelSpec = {
      ...configured,
      thinkingBudgetTokens: undefined,
      maxOutputTokens: HEALTH_CHECK_OUTPUT_TOKENS,
      timeoutMs: Math.min(configured.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS, HEALTH_CHECK_TIMEOUT_MS),
    };
    await deps.providerFor(spec).complete({ spec, messages: [{ type: 'user', text: HEALTH_CHECK_PROMPT }], tools: [], maxOutputTokens: HEALTH_CHECK_OUTPUT_TOKENS });
  } catch (failure) {
    error = errorMessage(failure);
  }
  const report: ModelHealthReport = { modelId: input.modelId, ok: error === undefined, latencyMs: Math.round(performance.now() - started), ...(error !== undefined && { error }) };
  await deps.circuits.recordHealth(input.modelId, { ok: report.ok, latencyMs: report.latencyMs, ...(error !== undefined && { error }) });
  return report;
}
