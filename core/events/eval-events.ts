// Data of the eval family: a scorer's verdict on a finished run (live on a sampled run, or asked for
// with POST /v1/runs/:id/scores). Written after the run's terminal event, where a live SSE stream
// has already ended; the event list and GET /v1/runs/:id/scores carry it.
import { z } from 'zod';
import { RUN_EVENT_TYPES } from './event-types';

export const scoreRecordedData = z.looseObject({
  /** The scorer's name (its kind unless it was named). */
  scorer: z.string(),
  kind: z.string(),
  /** 0..1. */
  score: z.number(),
  passed: z.boolean(),
  reason: z.string(),
  /** `live` for the agent's sampled scoring, else the id of the scoring request. */
  scoringId: z.string(),
  source: z.enum(['live', 'request']),
  /** The judge model of a rubric scorer. */
  judgeModel: z.string().optional(),
});

export const EVAL_EVENT_DATA = {
  [RUN_EVENT_TYPES.scoreRecorded]: scoreRecordedData,
} as const;
