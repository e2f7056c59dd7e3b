// One health check of one model: a tiny request (one short message, a few output tokens, no tools,
// no thinking), its latency and outcome recorded in the shared circuit store. An ok check closes a
// recovered model's circuit; a failed one only records what it saw (call failures open circuits).
// An answered check is a paid call: it goes in the usage ledger on the platform tenant, with no run.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { PLATFORM_TENANT_ID } from '../core/access/roles';
import { MODEL_CALL_PURPOSES } from '../core/model-call-purposes';
import type { Usage } from '../core/messages';
import type { ModelCatalog } from '../core/model-catalog';
import type { ModelSpec } from '../core/model-spec';
import type { ModelProvider } from '../providers/types';
import type { CircuitBreakerStore } from '../stores/circuit-breaker';
import type { ModelHealthReport } from './contract';
import { errorMessage } from '../core/error-message';
import type { UsageLedger } from './records/usage-ledger';

/** A check slower than this counts as failed, whatever the model's own timeout. */
export const HEALTH_CHECK_TIMEOUT_MS = 30_000;
const HEALTH_CHECK_OUTPUT_TOKENS = 16;
const HEALTH_CHECK_PROMPT = 'Reply with the word ok.';

export type ModelHealthDeps = { catalog: ModelCatalog; providerFor: (spec: ModelSpec) => ModelProvider; circuits: CircuitBreakerStore; ledger: Pick<UsageLedger, 'record'> };

/**
 * The ledger key of one check: its activity (workflow run and activity id), which a retry keeps, so
 * a retried check is counted once. Called outside an activity (a direct call), every check is new.
 */
export function healthUsageKey(modelId: string): string {
  let activity: string;
  try {
    const { info } = Context.current();
    const execution = info.workflowExecution;
    activity = execution ? `${execution.workflowId}:${execution.runId}:${info.activityId}` : randomUUID();
  } catch {
    activity = randomUUID();
  }
  return `${MODEL_CALL_PURPOSES.health}:${modelId}:${activity}`;
}

export async function checkModelHealth(deps: ModelHealthDeps, input: { modelId: string }): Promise<ModelHealthReport> {
  const started = performance.now();
  let error: string | undefined;
  let answered: { model: string; usage: Usage } | undefined;
  try {
    const configured = deps.catalog.resolve(input.modelId);
    const spec: ModelSpec = {
      ...configured,
      thinkingBudgetTokens: undefined,
      maxOutputTokens: HEALTH_CHECK_OUTPUT_TOKENS,
      timeoutMs: Math.min(configured.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS, HEALTH_CHECK_TIMEOUT_MS),
    };
    const response = await deps.providerFor(spec).complete({ spec, messages: [{ type: 'user', text: HEALTH_CHECK_PROMPT }], tools: [], maxOutputTokens: HEALTH_CHECK_OUTPUT_TOKENS });
    answered = { model: configured.id, usage: response.usage };
  } catch (failure) {
    error = errorMessage(failure);
  }
  const report: ModelHealthReport = { modelId: input.modelId, ok: error === undefined, latencyMs: Math.round(performance.now() - started), ...(error !== undefined && { error }) };
  await deps.circuits.recordHealth(input.modelId, { ok: report.ok, latencyMs: report.latencyMs, ...(error !== undefined && { error }) });
  if (answered) {
    await deps.ledger.record({ usageKey: healthUsageKey(input.modelId), tenantId: PLATFORM_TENANT_ID, purpose: MODEL_CALL_PURPOSES.health, ...answered });
  }
  return report;
}
