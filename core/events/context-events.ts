// Data of the context family: a step's transcript was cut to fit the model's window.
import { z } from 'zod';
import { stepField } from './event-fields';
import { RUN_EVENT_TYPES } from './event-types';

export const contextTruncatedData = z.looseObject({
  step: stepField,
  model: z.string(),
  contextWindow: z.number(),
  reservedOutputTokens: z.number(),
  transcriptMessages: z.number(),
  totalTokens: z.number(),
  keptMessages: z.number(),
  droppedMessages: z.number(),
  droppedTokens: z.number(),
  /** Which summary stands in for the dropped messages. */
  summary: z.enum(['reused', 'new', 'placeholder']),
  /** `new` only: the model that wrote it. */
  summaryModel: z.string().optional(),
});

export const CONTEXT_EVENT_DATA = {
  [RUN_EVENT_TYPES.contextTruncated]: contextTruncatedData,
} as const;
