// The cache part of a run's policy: whether a deterministic model request may be answered from an
// earlier identical one (`responses`) and whether a run whose request is close enough to an earlier
// completed run's gets that run's answer (`similarQueries`). Both off by default; tenant-scoped.
import { z } from 'zod';

export const DEFAULT_CACHE_TTL_SECONDS = 60 * 60;
export const MAX_CACHE_TTL_SECONDS = 30 * 24 * 60 * 60;
export const DEFAULT_SIMILARITY_THRESHOLD = 0.95;
/** Below this, "similar" means little even for a semantic embedder: refused rather than allowed. */
export const MIN_SIMILARITY_THRESHOLD = 0.5;

export const CACHE_KINDS = ['response', 'similar_query'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

export const cachePolicySchema = z.object({
  /** Identical model requests at temperature 0 are answered from the cache, without calling the model. */
  responses: z.boolean().default(false),
  /** A run whose request is at least `similarity` close to an earlier completed run's gets its answer. */
  similarQueries: z.boolean().default(false),
  /** How long a cached reply, or a completed run's request, may be reused. */
  ttlSeconds: z.number().int().min(1).max(MAX_CACHE_TTL_SECONDS).default(DEFAULT_CACHE_TTL_SECONDS),
  /** Cosine similarity of the two requests' embeddings at or above which an earlier answer is reused. */
  similarity: z.number().min(MIN_SIMILARITY_THRESHOLD).max(1).default(DEFAULT_SIMILARITY_THRESHOLD),
}).strict();

export type CachePolicy = z.output<typeof cachePolicySchema>;

export const DEFAULT_CACHE_POLICY: CachePolicy = cachePolicySchema.parse({});
