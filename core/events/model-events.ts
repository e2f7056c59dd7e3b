// Data of the model family: which models a step may use, each call's start, end or failure, a
// stream whose deltas are void, and the ephemeral token deltas themselves.
import { z } from 'zod';
import { budgetSchema, stepField, usageSchema } from './event-fields';
import { RUN_EVENT_TYPES } from './event-types';

const poolChoice = z.looseObject({ modelId: z.string(), tier: z.string(), reason: z.string() });

/**
 * The pool's plan for a step (activities/plan-models.ts). It travels through the workflow history
 * as a plain record before it is recorded, so only `step` is required: a history recorded by an
 * earlier version may lack the rest.
 */
export const modelSelectedData = z.looseObject({
  step: stepField,
  complexity: z.string().optional(),
  complexityReason: z.string().optional(),
  requestTokens: z.number().optional(),
  decision: z.string().optional(),
  /** In the order they are tried. */
  candidates: z.array(poolChoice.extend({ estimatedCost: z.number() })).optional(),
  /** Pool models left out, and why. */
  skipped: z.array(poolChoice).optional(),
  budget: budgetSchema.nullable().optional(),
  costSoFar: z.number().optional(),
});

export const modelCallStartedData = z.looseObject({ step: stepField, model: z.string(), attempt: z.number().int() });

export const modelCallFinishedData = z.looseObject({
  step: stepField,
  model: z.string(),
  attempt: z.number().int(),
  usage: usageSchema,
  /** Null for a model without a price. */
  costUsd: z.number().nullable(),
  finishReason: z.string(),
  latencyMs: z.number(),
  toolCalls: z.array(z.looseObject({ callId: z.string(), toolName: z.string() })),
});

const failure = {
  step: stepField,
  model: z.string(),
  error: z.string(),
  /** The typed failure's name (`ModelRateLimited`…); null or absent when it had none. */
  failureType: z.string().nullish(),
  retryable: z.boolean(),
};

export const modelCallFailedData = z.looseObject({
  ...failure,
  /** `false` when the call was never made (admission refused it); absent when it was made. */
  called: z.literal(false).optional(),
});

/** The deltas streamed so far for this call are void: the next attempt streams afresh. */
export const streamResetData = z.looseObject({ ...failure, deltas: z.number().int() });

/** Token-level output, relayed live over SSE (as `event: delta`) and never persisted. */
export const deltaData = z.looseObject({
  step: stepField,
  model: z.string(),
  kind: z.enum(['text', 'reasoning', 'tool-call']),
  text: z.string(),
  /** `tool-call` deltas: the call whose arguments these are. */
  callId: z.string().optional(),
});

export const MODEL_EVENT_DATA = {
  [RUN_EVENT_TYPES.modelSelected]: modelSelectedData,
  [RUN_EVENT_TYPES.modelCallStarted]: modelCallStartedData,
  [RUN_EVENT_TYPES.modelCallFinished]: modelCallFinishedData,
  [RUN_EVENT_TYPES.modelCallFailed]: modelCallFailedData,
  [RUN_EVENT_TYPES.streamReset]: streamResetData,
} as const;
