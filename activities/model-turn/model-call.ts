// One model call inside a step: builds the request from the transcript, streams deltas to the run's
// channel, heartbeats while streaming, and turns provider errors into typed ApplicationFailures.
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES, ModelCallError } from '../../core/errors';
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import type { Message } from '../../core/messages';
import type { ModelSpec } from '../../core/model-spec';
import type { ToolSpec } from '../../core/tool-spec';
import type { ModelDelta, ModelProvider, ModelResponse } from '../../providers/types';
import type { EventRecorder } from '../records/event-recorder';
import { errorMessage } from '../../core/error-message';

export type ModelCallInput = {
  runId: string;
  tenantId: string;
  step: number;
  spec: ModelSpec;
  transcript: readonly Message[];
  tools: ToolSpec[];
  stream: boolean;
  /** The run's output schema: the final answer is requested as JSON matching it. */
  output?: { schema: Record<string, unknown> };
  signal?: AbortSignal;
  heartbeat: () => void;
  /** Failure events are written after this settles, so they follow `model-call.started`. */
  beforeFailureEvents?: Promise<unknown>;
  /** False when the workflow has another candidate: a stream broken after deltas moves on to it. */
  lastCandidate?: boolean;
  /** Sees every provider failure (not cancellations) before it is reported; may return a replacement. */
  onProviderFailure?: (failure: ApplicationFailure) => Promise<ApplicationFailure>;
};

export function toModelRequestParts(transcript: readonly Message[]): { system?: string; messages: Message[] } {
  const system = transcript.filter((message) => message.type === 'system').map((message) => message.text).join('\n\n');
  return { system: system || undefined, messages: transcript.filter((message) => message.type !== 'system') };
}

export async function callModel(provider: ModelProvider, events: EventRecorder, input: ModelCallInput): Promise<ModelResponse> {
  const { system, messages } = toModelRequestParts(input.transcript);
  let deltas = 0;
  const onDelta = input.stream
    ? (delta: ModelDelta) => {
        deltas += 1;
        input.heartbeat();
        events.delta({
          runId: input.runId,
          type: 'delta',
          data: delta.type === 'tool-call-delta'
            ? { step: input.step, model: input.spec.id, kind: 'tool-call', text: delta.argumentsDelta, callId: delta.callId }
            : { step: input.step, model: input.spec.id, kind: delta.type === 'text-delta' ? 'text' : 'reasoning', text: delta.text },
        });
      }
    : undefined;
  try {
    return await provider.complete(
      { spec: input.spec, system, messages, tools: input.tools, maxOutputTokens: input.spec.maxOutputTokens, ...(input.output && { output: input.output }) },
      { onDelta, signal: input.signal },
    );
  } catch (error) {
    let failure = toApplicationFailure(error, input.spec);
    // Clients were told to discard these deltas: the next candidate answers, not this model again.
    if (deltas > 0 && input.lastCandidate === false && !failure.nonRetryable) failure = asNonRetryable(failure, 'moving on to the next model after the broken stream');
    if (!input.signal?.aborted && input.onProviderFailure) failure = await input.onProviderFailure(failure);
    const failureEvents: NewRunEvent[] = [{ type: RUN_EVENT_TYPES.modelCallFailed, data: { step: input.step, model: input.spec.id, error: failure.message, failureType: failure.type, retryable: !failure.nonRetryable } }];
    // A client that saw deltas must learn they are void before the next attempt streams.
    if (deltas > 0) failureEvents.push({ type: RUN_EVENT_TYPES.streamReset, data: { step: input.step, model: input.spec.id, error: failure.message, failureType: failure.type, retryable: !failure.nonRetryable, deltas } });
    await input.beforeFailureEvents?.catch(() => undefined);
    await events.record(input.runId, input.tenantId, failureEvents).catch(() => undefined);
    throw failure;
  }
}

export function toApplicationFailure(error: unknown, spec: ModelSpec): ApplicationFailure {
  if (error instanceof ModelCallError) {
    return ApplicationFailure.create({
      message: error.message,
      type: error.failureType,
      nonRetryable: !error.retryable,
      nextRetryDelay: error.retryAfterMs,
      details: [{ model: spec.id, status: error.status ?? null }],
    });
  }
  const message = errorMessage(error);
  return ApplicationFailure.create({
    message: `model "${spec.id}": ${message}`,
    type: FAILURE_TYPES.modelUnavailable,
    nonRetryable: false,
  });
}

/** The same failure, marked so Temporal does not retry it on this model; `why` is appended to its message. */
export function asNonRetryable(failure: ApplicationFailure, why: string): ApplicationFailure {
  return ApplicationFailure.create({
    message: `${failure.message}; ${why}`,
    type: failure.type ?? undefined,
    nonRetryable: true,
    details: failure.details ?? undefined,
  });
}
