// Why Keel called a model: every row of the usage ledger names one, so usage can be read by purpose
// and no call (a check, a summary, a health probe) is left out of a budget.
export const MODEL_CALL_PURPOSES = {
  step: 'step',
  prediction: 'prediction',
  reflection: 'reflection',
  crossValidation: 'cross_validation',
  summary: 'summary',
  compression: 'compression',
  extraction: 'extraction',
  health: 'health',
  /** A rubric scorer's judge grading a finished run (core/evals). */
  evaluation: 'eval',
} as const;

export type ModelCallPurpose = (typeof MODEL_CALL_PURPOSES)[keyof typeof MODEL_CALL_PURPOSES];

export const MODEL_CALL_PURPOSE_VALUES = Object.values(MODEL_CALL_PURPOSES) as [ModelCallPurpose, ...ModelCallPurpose[]];

/** What usage totals can be grouped by (`GET /v1/usage?groupBy=`): the purpose, the model, the run's owner. */
export const USAGE_GROUPS = ['purpose', 'model', 'user'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/**
 * The ledger key of a call within a run: `<run>:<step>:<purpose>[:detail]` (`<run>:<purpose>` for a
 * call after the run's steps). A retried activity computes the same key, so it never counts twice.
 */
export function usageKey(parts: { runId: string; step?: number; purpose: ModelCallPurpose; detail?: string }): string {
  const head = parts.step === undefined ? `${parts.runId}:${parts.purpose}` : `${parts.runId}:${parts.step}:${parts.purpose}`;
  return parts.detail === undefined ? head : `${head}:${parts.detail}`;
}
