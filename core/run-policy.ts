// A run's policy: what safety verdicts each risk level earns, what happens to unexpected side
// effects, when a human reviews, how answers are checked (reflection, cross-validation) and how
// memory joins the context, and what may be answered from the cache. A tenant sets defaults
// (PUT /v1/policy); a run may override fields at creation; the API resolves both into one
// RunPolicy stored in the run's spec and its workflow input.
import { z } from 'zod';
import { safetyPolicySchema } from './safety/safety-policy';
import { cachePolicySchema, DEFAULT_CACHE_POLICY } from './cache/cache-policy';

export const DEFAULT_REVIEW_TIMEOUT_SECONDS = 24 * 60 * 60;
export const MAX_REVIEW_TIMEOUT_SECONDS = 30 * 24 * 60 * 60;
export const DEFAULT_MAX_CORRECTIONS = 3;
export const DEFAULT_REFLECTION_THRESHOLD = 60;
export const DEFAULT_CROSS_VALIDATION_COUNT = 3;
export const DEFAULT_RECALL_TOKENS = 800;

/** What happens to workspace changes a tool call did not name. */
export const SIDE_EFFECT_ACTIONS = ['report', 'rollback', 'review'] as const;
export type SideEffectAction = (typeof SIDE_EFFECT_ACTIONS)[number];

const modelId = z.string().min(1).max(200);

export const runPolicySchema = z.object({
  /** Risk level → verdict, network permission, shell nesting depth (core/safety). */
  safety: safetyPolicySchema.default(safetyPolicySchema.parse({})),
  review: z.object({
    /** How long a pending review waits for a human. */
    timeoutSeconds: z.number().int().min(1).max(MAX_REVIEW_TIMEOUT_SECONDS).default(DEFAULT_REVIEW_TIMEOUT_SECONDS),
    /** What a review that times out becomes (escalation). */
    onTimeout: z.enum(['reject', 'approve']).default('reject'),
  }).strict().default({ timeoutSeconds: DEFAULT_REVIEW_TIMEOUT_SECONDS, onTimeout: 'reject' }),
  /** `report` by default: builds, installs and commits change paths no command names; `rollback` is strict confinement. */
  sideEffects: z.enum(SIDE_EFFECT_ACTIONS).default('report'),
  /**
   * Keep the workspace as each step that called write_file, edit_file or bash left it (its files'
   * contents in the run's blob folder), so a fork from that step can restore it (POST
   * /v1/runs/:id/fork). Absent: on.
   */
  stepSnapshots: z.boolean().optional(),
  /** Before a confirm-level or destructive call, a small model predicts what it does and checks it against the request. */
  outcomePrediction: z.boolean().default(true),
  /** Failed tool calls in a row the model may correct on its own before a human is asked. */
  maxCorrections: z.number().int().min(1).max(10).default(DEFAULT_MAX_CORRECTIONS),
  reflection: z.object({
    enabled: z.boolean().default(false),
    /** Confidence (0–100) below which the answer takes `onLowConfidence`. */
    threshold: z.number().min(0).max(100).default(DEFAULT_REFLECTION_THRESHOLD),
    onLowConfidence: z.enum(['retry', 'review']).default('review'),
    /** Extra passes `retry` may take before the run asks a human. */
    maxPasses: z.number().int().min(1).max(5).default(1),
  }).strict().default({ enabled: false, threshold: DEFAULT_REFLECTION_THRESHOLD, onLowConfidence: 'review', maxPasses: 1 }),
  /** A critical run's final answer is cross-validated by several models; disagreement goes to a human. */
  critical: z.boolean().default(false),
  crossValidation: z.object({
    /** Distinct models that answer; empty: the run's fallback models, then the pool's. */
    models: z.array(modelId).max(8).default([]),
    count: z.number().int().min(2).max(8).default(DEFAULT_CROSS_VALIDATION_COUNT),
    /** Judges free-text agreement; default: the small model. */
    judgeModel: modelId.optional(),
  }).strict().default({ models: [], count: DEFAULT_CROSS_VALIDATION_COUNT }),
  /** The small model for predictions, reflections, summaries and note extraction; default: the run's model. */
  smallModel: modelId.optional(),
  memory: z.object({
    /** Recall the user's notes into the context at the start of the run. */
    autoRecall: z.boolean().default(true),
    /** Token budget for recalled notes. */
    recallTokens: z.number().int().min(0).max(20_000).default(DEFAULT_RECALL_TOKENS),
    /** Extract notes from a completed run with the small model. */
    autoExtract: z.boolean().default(false),
  }).strict().default({ autoRecall: true, recallTokens: DEFAULT_RECALL_TOKENS, autoExtract: false }),
  /** The response cache and similar-query dedupe (core/cache), both off unless turned on. */
  cache: cachePolicySchema.default(DEFAULT_CACHE_POLICY),
}).strict();

export type RunPolicy = z.output<typeof runPolicySchema>;
export type RunPolicyInput = z.input<typeof runPolicySchema>;

export const DEFAULT_RUN_POLICY: RunPolicy = runPolicySchema.parse({});

/** A tenant's stored policy with a run's overrides merged on top (objects deeply, arrays replaced); throws a ZodError when malformed. */
export function resolveRunPolicy(tenant: RunPolicyInput | undefined, run: RunPolicyInput | undefined): RunPolicy {
  const base = runPolicySchema.parse(tenant ?? {});
  return run ? runPolicySchema.parse(deepMerge(base, run)) : base;
}

function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
