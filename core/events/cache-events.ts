// Data of the cache family: a step was answered from the cache instead of the model, naming the
// earlier run whose reply (kind `response`) or final answer (kind `similar_query`) it reused.
import { z } from 'zod';
import { stepField, usageSchema } from './event-fields';
import { RUN_EVENT_TYPES } from './event-types';

export const cacheHitData = z.looseObject({
  step: stepField,
  kind: z.enum(['response', 'similar_query']),
  /** The model the step would have called. */
  model: z.string(),
  /** The earlier run of the same tenant whose reply or answer this is. */
  sourceRunId: z.string(),
  /** `response`: the step of that run the reply answered. */
  sourceStep: stepField.optional(),
  /** `similar_query`: cosine similarity of the two requests' embeddings. */
  similarity: z.number().optional(),
  /** What the reused reply cost in tokens when it was made (this step spends none). */
  savedUsage: usageSchema.optional(),
});

export const CACHE_EVENT_DATA = {
  [RUN_EVENT_TYPES.cacheHit]: cacheHitData,
} as const;
