// Data of the tool family: each call's start and end, a call refused because its predicted outcome
// does not match the request, and workspace changes a call did not name (found, rolled back).
import { z } from 'zod';
import { SIDE_EFFECT_ACTIONS } from '../run-policy';
import { changeCountsSchema, pathListSchema, rollbackFailureSchema, stepField } from './event-fields';
import { RUN_EVENT_TYPES } from './event-types';

const call = { step: stepField, callId: z.string(), toolName: z.string() };

export const toolCallStartedData = z.looseObject({
  ...call,
  /** As run: a reviewer may have edited them. */
  arguments: z.record(z.string(), z.unknown()),
});

export const toolCallFinishedData = z.looseObject({
  ...call,
  isError: z.boolean(),
  /** The first 500 characters. */
  outputPreview: z.string(),
  outputChars: z.number(),
  durationMs: z.number(),
  /** The output was summarised for the model; the whole of it is read back by `reference`. */
  compressed: z.looseObject({ reference: z.string(), contextChars: z.number() }).optional(),
  /** The safety verdict that let it run (the tool result's `metadata.safety`). */
  safety: z.unknown().optional(),
  /** The human decision that let it run (the tool result's `metadata.review`). */
  review: z.unknown().optional(),
  prediction: z.looseObject({
    verdict: z.enum(['match', 'mismatch', 'review']),
    model: z.string(),
    effects: z.array(z.unknown()).optional(),
    error: z.string().optional(),
  }).optional(),
});

export const toolCallPredictionMismatchData = z.looseObject({
  ...call,
  arguments: z.record(z.string(), z.unknown()),
  model: z.string(),
  prediction: z.string().optional(),
  effects: z.array(z.unknown()).optional(),
  matchesRequest: z.boolean().optional(),
  reason: z.string().optional(),
  conflicts: z.array(z.unknown()),
});

export const sideEffectsDetectedData = z.looseObject({
  ...call,
  /** What the run's policy does about them. */
  action: z.enum(SIDE_EFFECT_ACTIONS),
  /** At most MAX_LISTED_PATHS each; `counts` are exact and `listsTruncated` says when they were cut. */
  created: pathListSchema,
  modified: pathListSchema,
  deleted: pathListSchema,
  counts: changeCountsSchema,
  listsTruncated: z.boolean(),
  snapshotIncomplete: z.string().optional(),
  rollbackSkipped: z.string().optional(),
  snapshotRef: z.string().optional(),
});

/**
 * Two producers: the policy's own rollback (with `callId` and `counts`) and a reviewer's rejection
 * (with `reviewId`, activities/tool-turn/side-effect-review.ts).
 */
export const sideEffectsRolledBackData = z.looseObject({
  step: stepField,
  toolName: z.string(),
  callId: z.string().optional(),
  reviewId: z.string().optional(),
  restored: pathListSchema,
  removed: pathListSchema,
  failed: z.array(rollbackFailureSchema),
  counts: z.looseObject({ restored: z.number(), removed: z.number(), failed: z.number() }).optional(),
});

export const TOOL_EVENT_DATA = {
  [RUN_EVENT_TYPES.toolCallStarted]: toolCallStartedData,
  [RUN_EVENT_TYPES.toolCallFinished]: toolCallFinishedData,
  [RUN_EVENT_TYPES.toolCallPredictionMismatch]: toolCallPredictionMismatchData,
  [RUN_EVENT_TYPES.sideEffectsDetected]: sideEffectsDetectedData,
  [RUN_EVENT_TYPES.sideEffectsRolledBack]: sideEffectsRolledBackData,
} as const;
