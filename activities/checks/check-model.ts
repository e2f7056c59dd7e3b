// One small, tool-free model call for the checks (outcome prediction, reflection, cross-validation):
// a system prompt and one user message in, the reply's text out. No streaming, no thinking budget.
// Each answered call is written to the usage ledger under its purpose before its text is returned.
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../../core/errors';
import { textOf, type Message, type Usage } from '../../core/messages';
import type { ModelCatalog } from '../../core/model-catalog';
import type { ModelSpec } from '../../core/model-spec';
import { usageKey, type ModelCallPurpose } from '../../core/model-call-purposes';
import type { ModelProvider } from '../../providers/types';
import { toApplicationFailure } from '../model-turn/model-call';
import { errorMessage } from '../../core/error-message';
import type { UsageLedger } from '../records/usage-ledger';

/** A check slower than this fails (and is handled as a check that could not be made), whatever the model's own timeout. */
export const CHECK_MODEL_TIMEOUT_MS = 60_000;

export type CheckModelDeps = { catalog: ModelCatalog; providerFor: (spec: ModelSpec) => ModelProvider; ledger: Pick<UsageLedger, 'record'> };

/**
 * Whose call it is in the ledger: `detail` tells apart calls of one purpose in one step (a validator's
 * model, a tool call); no `step` for a call after the run's steps (an eval's judge).
 */
export type CheckCallAttribution = { tenantId: string; runId: string; step?: number; purpose: ModelCallPurpose; detail?: string };

export type CheckModelRequest = {
  modelId: string;
  system: string;
  /** The conversation to answer; a plain prompt is one user message. */
  messages: Message[];
  maxOutputTokens: number;
  signal?: AbortSignal;
  attribution: CheckCallAttribution;
};

/** The reply's text; throws a typed ApplicationFailure (callers decide what a failed check means). */
export async function askCheckModel(deps: CheckModelDeps, request: CheckModelRequest): Promise<{ modelId: string; text: string; usage: Usage }> {
  let configured: ModelSpec;
  try {
    configured = deps.catalog.resolve(request.modelId);
  } catch (error) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.modelNotConfigured, message: failureMessage(error), nonRetryable: true });
  }
  const spec: ModelSpec = {
    ...configured,
    thinkingBudgetTokens: undefined,
    maxOutputTokens: request.maxOutputTokens,
    timeoutMs: Math.min(configured.timeoutMs ?? CHECK_MODEL_TIMEOUT_MS, CHECK_MODEL_TIMEOUT_MS),
  };
  let response;
  try {
    response = await deps.providerFor(spec).complete(
      { spec, system: request.system, messages: request.messages, tools: [], maxOutputTokens: request.maxOutputTokens },
      { signal: request.signal },
    );
  } catch (error) {
    throw toApplicationFailure(error, spec);
  }
  const { tenantId, runId, step, purpose, detail } = request.attribution;
  await deps.ledger.record({ usageKey: usageKey({ runId, step, purpose, detail }), tenantId, runId, step, purpose, model: configured.id, usage: response.usage });
  return { modelId: configured.id, text: textOf(response.message), usage: response.usage };
}

/** A failure as one line for results and events. */
export function failureMessage(failure: unknown): string {
  return errorMessage(failure);
}
