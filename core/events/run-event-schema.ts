// Every run event as one discriminated union on `type`: the persisted event (`RunEventSchema`, what
// the events API and the SSE stream send), what producers record (`NewRunEvent`), the ephemeral
// `delta`, and the bus message that carries either between processes.
import { z } from 'zod';
import { ANSWER_EVENT_DATA } from './answer-events';
import { CACHE_EVENT_DATA } from './cache-events';
import { CONTEXT_EVENT_DATA } from './context-events';
import { EVAL_EVENT_DATA } from './eval-events';
import { RUN_EVENT_TYPES, type RunEventType } from './event-types';
import { deltaData, MODEL_EVENT_DATA } from './model-events';
import { REVIEW_EVENT_DATA } from './review-events';
import { RUN_EVENT_DATA } from './run-events';
import { TOOL_EVENT_DATA } from './tool-events';

/** The schema of each event type's `data`; `satisfies` fails the build when a type has none. */
export const RUN_EVENT_DATA_SCHEMAS = {
  ...RUN_EVENT_DATA,
  ...MODEL_EVENT_DATA,
  ...TOOL_EVENT_DATA,
  ...REVIEW_EVENT_DATA,
  ...ANSWER_EVENT_DATA,
  ...CONTEXT_EVENT_DATA,
  ...CACHE_EVENT_DATA,
  ...EVAL_EVENT_DATA,
} as const satisfies Record<RunEventType, z.ZodType>;

type DataSchemas = typeof RUN_EVENT_DATA_SCHEMAS;
export type RunEventData<T extends RunEventType> = z.output<DataSchemas[T]>;

function persisted<T extends RunEventType>(type: T) {
  return z.object({
    /** Orders a run's events; the SSE event id (`Last-Event-ID`). */
    id: z.number().int(),
    runId: z.string(),
    type: z.literal(type),
    data: RUN_EVENT_DATA_SCHEMAS[type],
    /** ISO 8601. */
    at: z.string(),
  }).meta({ title: type });
}

/** A persisted event. Add a type here when it is added to RUN_EVENT_TYPES (the check below fails the build otherwise). */
export const RunEventSchema = z.discriminatedUnion('type', [
  persisted(RUN_EVENT_TYPES.runStarted),
  persisted(RUN_EVENT_TYPES.runForked),
  persisted(RUN_EVENT_TYPES.runCompleted),
  persisted(RUN_EVENT_TYPES.runFailed),
  persisted(RUN_EVENT_TYPES.runCancelled),
  persisted(RUN_EVENT_TYPES.runStepLimitReached),
  persisted(RUN_EVENT_TYPES.runBudgetExceeded),
  persisted(RUN_EVENT_TYPES.modelSelected),
  persisted(RUN_EVENT_TYPES.messageReceived),
  persisted(RUN_EVENT_TYPES.modelCallStarted),
  persisted(RUN_EVENT_TYPES.modelCallFinished),
  persisted(RUN_EVENT_TYPES.modelCallFailed),
  persisted(RUN_EVENT_TYPES.toolCallStarted),
  persisted(RUN_EVENT_TYPES.toolCallFinished),
  persisted(RUN_EVENT_TYPES.toolCallPredictionMismatch),
  persisted(RUN_EVENT_TYPES.sideEffectsDetected),
  persisted(RUN_EVENT_TYPES.sideEffectsRolledBack),
  persisted(RUN_EVENT_TYPES.finalAnswer),
  persisted(RUN_EVENT_TYPES.answerReflected),
  persisted(RUN_EVENT_TYPES.answerCrossValidated),
  persisted(RUN_EVENT_TYPES.streamReset),
  persisted(RUN_EVENT_TYPES.reviewRequested),
  persisted(RUN_EVENT_TYPES.reviewDecided),
  persisted(RUN_EVENT_TYPES.reviewExpired),
  persisted(RUN_EVENT_TYPES.contextTruncated),
  persisted(RUN_EVENT_TYPES.cacheHit),
  persisted(RUN_EVENT_TYPES.scoreRecorded),
]).meta({ id: 'RunEvent', description: 'A persisted run event, discriminated on `type`.' });
export type RunEvent = z.output<typeof RunEventSchema>;

// Fails the build when RUN_EVENT_TYPES has a type the union lacks.
const everyTypeInTheUnion: Record<Exclude<RunEventType, RunEvent['type']>, never> = {};
void everyTypeInTheUnion;

/** What a producer records; `data` is checked against its type's schema at compile time. */
export type NewRunEvent = { [T in RunEventType]: { type: T; data: z.input<DataSchemas[T]>; dedupeKey?: string } }[RunEventType];

/** A typed event to record (`runEvent('tool-call.started', {...})`): the data's shape follows the type. */
export function runEvent<T extends RunEventType>(type: T, data: z.input<DataSchemas[T]>, dedupeKey?: string): NewRunEvent {
  return { type, data, ...(dedupeKey === undefined ? {} : { dedupeKey }) } as NewRunEvent;
}

export const DeltaDataSchema = deltaData.meta({ id: 'DeltaData', description: 'An SSE `event: delta` payload: token-level output, never persisted.' });

/** Ephemeral token-level output, relayed live over SSE and never persisted. */
export const DeltaEventSchema = z.object({ runId: z.string(), type: z.literal('delta'), data: DeltaDataSchema });
export type DeltaEvent = z.output<typeof DeltaEventSchema>;

/** A message on the Redis event bus: another process wrote it, so it is parsed, not cast. */
export const BusMessageSchema = z.discriminatedUnion('kind', [
  // previousId: the run's event stored just before this one, when the publisher knows it: a stream
  // that has it already missed nothing and need not read storage first.
  z.object({ kind: z.literal('event'), event: RunEventSchema, previousId: z.number().int().min(0).optional() }),
  z.object({ kind: z.literal('delta'), delta: DeltaEventSchema }),
]);
export type BusMessage = z.output<typeof BusMessageSchema>;
