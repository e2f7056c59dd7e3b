// The model-call half of a step: admission (pool checks and the shared circuit), the call itself
// with its deltas, and the reply recorded in one statement with its events, usage ledger row and
// cost. A reply an earlier attempt recorded is reused with the cost it had (keyed `assistant:<step>`).
// With the response cache on, an identical deterministic request is answered from it instead.
import { ContextOverflowError } from '../../core/context';
import { FAILURE_TYPES } from '../../core/errors';
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import { addUsage, textOf, toolCallsOf, ZERO_USAGE, type AssistantMessage, type Usage } from '../../core/messages';
import { costOf, type ModelPool } from '../../core/model-pool';
import type { ModelSpec } from '../../core/model-spec';
import type { ModelProvider } from '../../providers/types';
import type { CircuitBreakerStore } from '../../stores/circuit-breaker';
import type { Logger } from '../../runtime/logger';
import { inSpan, SPAN_ATTRIBUTES, SPAN_NAMES } from '../../runtime/tracing';
import type { ToolRegistry } from '../../tools';
import type { ContextManager } from './context-manager';
import type { EventRecorder } from '../records/event-recorder';
import { admitModelCall, circuitFailureRecorder, refuse } from './model-admission';
import { callModel } from './model-call';
import type { TenantCostBudget } from './tenant-budget';
import type { UsageLedger } from '../records/usage-ledger';
import type { StepContext } from '../records/step-context';
import type { StepRecorder } from '../records/step-recorder';
import type { StepInput } from '../contract';
import type { StepWriteBatch } from '../../stores/step-writes-repository';
import type { CachedTranscript } from '../records/transcript-cache';
import { checkOutput, type RunOutput } from '../../core/run-output';
import type { ResponseCache, ResponseCacheLookup } from './response-cache';

export type ModelReplyDeps = {
  providerFor: (spec: ModelSpec) => ModelProvider;
  tools: ToolRegistry;
  events: EventRecorder;
  recorder: StepRecorder;
  /** Prices, context windows and output caps of pool models (absent without a pool). */
  pool?: ModelPool;
  /** Shared circuit state: acquired before every model call, told how it went. */
  circuits: CircuitBreakerStore;
  /** Builds what each call sends: the transcript fitted to the model's window. */
  context: ContextManager;
  logger?: Logger;
  /** The tenant's monthly cost quota, checked before each priced call. */
  tenantBudget?: Pick<TenantCostBudget, 'spend'>;
  /** The exact response cache (used when the run's policy turns it on); absent: every call goes out. */
  responseCache?: ResponseCache;
  /** The usage ledger: a budgeted run's spend on every purpose, checked before each priced call. */
  ledger?: Pick<UsageLedger, 'runCost'>;
};

export type AssistantRecord = { message: AssistantMessage; usage: Usage; costUsd: number; fresh: boolean };

/** USD of a call by a pool model; a model without a price costs nothing here (null in the ledger). */
function callCost(pool: ModelPool | undefined, modelId: string | undefined, usage: Usage): number | null {
  const model = modelId === undefined ? undefined : pool?.model(modelId);
  return model ? costOf(usage, model.pricing) : null;
}

export function recordedReply(deps: Pick<ModelReplyDeps, 'pool'>, message: AssistantMessage): AssistantRecord {
  const usage = message.usage ?? ZERO_USAGE;
  return { message, usage, costUsd: callCost(deps.pool, message.model, usage) ?? 0, fresh: false };
}

/**
 * What a reply without tool calls writes besides itself: the `answer.final` event and the run's
 * progress. The one place it is decided, whether the reply is fresh (written with it) or an
 * earlier attempt's (written alone by the step, run-step.ts).
 */
export function finalAnswerWrites(step: number, model: string, message: AssistantMessage, progress: { usage: Usage; costUsd: number }, output?: RunOutput): Pick<StepWriteBatch, 'events' | 'progress'> {
  const text = textOf(message);
  // With an output schema the answer is checked here, and a valid one is stored as parsed JSON.
  const check = output ? checkOutput(output, text) : undefined;
  const verdict = check && (check.valid ? { valid: true } : { valid: false, errors: check.errors });
  return {
    events: [{ type: RUN_EVENT_TYPES.finalAnswer, data: { step, model, text, ...(verdict && { output: verdict }) }, dedupeKey: `answer.final:${step}` }],
    progress: { status: 'running', step, usage: progress.usage, costUsd: progress.costUsd, ...(check?.valid && { output: check.value }) },
  };
}

export async function callAndRecord(deps: ModelReplyDeps, input: StepInput, spec: ModelSpec, transcript: CachedTranscript, context: StepContext, announcements: NewRunEvent[], output?: RunOutput): Promise<AssistantRecord> {
  const { runId, tenantId, step } = input;
  const { attempt } = context;
  const tools = deps.tools.specs(input.tools);
  const costSoFar = input.costSoFar ?? 0;
  const fitted = await deps.context.build({ runId, tenantId, step, spec, transcript, tools, signal: context.signal, heartbeat: context.heartbeat, retry: attempt > 1 })
    .catch(async (error: unknown) => {
      // Too small a window for what must be kept: like a refused admission, the workflow moves on.
      if (error instanceof ContextOverflowError) throw await refuse(deps, { runId, tenantId, step, spec, announcements }, FAILURE_TYPES.modelContextTooSmall, `model "${spec.id}": ${error.message}`);
      throw error;
    });
  const cached = deps.responseCache
    ? await deps.responseCache.lookup({ runId, tenantId, step, spec, transcript: fitted.messages, tools, ...(output && { output }) })
    : undefined;
  if (cached?.hit) return replyFromCache(deps, input, spec, transcript, fitted, announcements, cached.hit, output);
  await admitModelCall(deps, {
    runId, tenantId, step, spec, budget: input.budget, costSoFar, announcements,
    // What is sent, not the whole transcript: the context is already cut to the window.
    requestTokens: () => fitted.totalTokens,
  });
  if (fitted.event) announcements.push(fitted.event);
  // Written while the model works: off the critical path, and ordered before what follows.
  const started = deps.events.record(runId, tenantId, [...announcements.splice(0), { type: RUN_EVENT_TYPES.modelCallStarted, data: { step, model: spec.id, attempt } }]);
  const startedAt = Date.now();
  let response;
  try {
    response = await inSpan(SPAN_NAMES.modelCall, {
      [SPAN_ATTRIBUTES.model]: spec.id, [SPAN_ATTRIBUTES.provider]: spec.provider, [SPAN_ATTRIBUTES.runId]: runId, [SPAN_ATTRIBUTES.step]: step,
    }, async (span) => {
      const answered = await callModel(deps.providerFor(spec), deps.events, {
        runId, tenantId, step, spec,
        transcript: fitted.messages,
        tools,
        stream: input.stream,
        ...(output && { output }),
        signal: context.signal,
        heartbeat: context.heartbeat,
        beforeFailureEvents: started,
        lastCandidate: input.lastCandidate,
        onProviderFailure: circuitFailureRecorder(deps, spec.id),
      });
      span?.setAttributes({
        [SPAN_ATTRIBUTES.inputTokens]: answered.usage.inputTokens, [SPAN_ATTRIBUTES.outputTokens]: answered.usage.outputTokens,
        [SPAN_ATTRIBUTES.finishReason]: [answered.finishReason],
      });
      return answered;
    });
  } finally {
    await started.catch(() => undefined);
    await fitted.pendingWrite;
  }
  deps.context.recordUsage(spec, fitted, response.usage);
  const message: AssistantMessage = { ...response.message, model: spec.id, usage: response.usage };
  const calls = toolCallsOf(message);
  const cost = callCost(deps.pool, spec.id, response.usage);
  const events: NewRunEvent[] = [{
    type: RUN_EVENT_TYPES.modelCallFinished,
    data: {
      step, model: spec.id, attempt, usage: response.usage, costUsd: cost, finishReason: response.finishReason, latencyMs: Date.now() - startedAt,
      toolCalls: calls.map((call) => ({ callId: call.callId, toolName: call.toolName })),
    },
    dedupeKey: `model-call.finished:${step}`,
  }];
  const final = calls.length === 0
    ? finalAnswerWrites(step, spec.id, message, { usage: addUsage(input.usageSoFar, response.usage), costUsd: costSoFar + (cost ?? 0) }, output)
    : undefined;
  // The circuit hears of the success alongside the step's write, not after it.
  const closed = deps.circuits.recordSuccess(spec.id).catch((error: unknown) => deps.logger?.warn({ err: error, model: spec.id }, 'could not record a success in the circuit store'));
  try {
    await deps.recorder.commit(runId, tenantId, transcript, {
      messages: [{ seq: transcript.lastSeq + 1, step, sourceKey: `assistant:${step}`, message }],
      events: [...events, ...(final?.events ?? [])],
      modelUsage: { step, model: spec.id, usage: response.usage, costUsd: cost },
      progress: final?.progress,
    });
  } finally {
    await closed;
  }
  if (cached && deps.responseCache) await deps.responseCache.remember(cached, { runId, step, message, usage: response.usage, finishReason: response.finishReason });
  return { message, usage: response.usage, costUsd: cost ?? 0, fresh: true };
}

/**
 * A reply the step records without calling the model (a cache hit): written like a fresh reply, as
 * `assistant:<step>` with its events and, without tool calls, the final answer's writes, but with
 * no usage, no cost and no ledger row, since no tokens were spent.
 */
export async function recordUncalledReply(
  deps: Pick<ModelReplyDeps, 'recorder'>,
  input: StepInput,
  modelId: string,
  transcript: CachedTranscript,
  reply: Pick<AssistantMessage, 'parts'>,
  events: NewRunEvent[],
  output?: RunOutput,
): Promise<AssistantRecord> {
  const { runId, tenantId, step } = input;
  const message: AssistantMessage = { type: 'assistant', parts: reply.parts, model: modelId, usage: ZERO_USAGE };
  const final = toolCallsOf(message).length === 0
    ? finalAnswerWrites(step, modelId, message, { usage: input.usageSoFar, costUsd: input.costSoFar ?? 0 }, output)
    : undefined;
  await deps.recorder.commit(runId, tenantId, transcript, {
    messages: [{ seq: transcript.lastSeq + 1, step, sourceKey: `assistant:${step}`, message }],
    events: [...events, ...(final?.events ?? [])],
    progress: final?.progress,
  });
  return { message, usage: ZERO_USAGE, costUsd: 0, fresh: true };
}

/** A hit: no admission (nothing is spent, the circuit is not asked), no call; `cache.hit` names the earlier run. */
async function replyFromCache(
  deps: ModelReplyDeps, input: StepInput, spec: ModelSpec, transcript: CachedTranscript,
  fitted: { event?: NewRunEvent; pendingWrite?: Promise<void> }, announcements: NewRunEvent[],
  hit: NonNullable<ResponseCacheLookup['hit']>, output?: RunOutput,
): Promise<AssistantRecord> {
  await fitted.pendingWrite;
  if (fitted.event) announcements.push(fitted.event);
  const events: NewRunEvent[] = [...announcements.splice(0), {
    type: RUN_EVENT_TYPES.cacheHit,
    data: { step: input.step, kind: 'response', model: spec.id, sourceRunId: hit.runId, sourceStep: hit.step, savedUsage: hit.usage },
    dedupeKey: `cache.hit:${input.step}`,
  }];
  return recordUncalledReply(deps, input, spec.id, transcript, hit.message, events, output);
}
