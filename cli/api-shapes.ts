// The parts of Keel's answers the CLI reads, checked with zod. Loose objects: a newer server may add
// fields, and the CLI shows what it knows.
import { z } from 'zod';

export const apiErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

export const runShape = z.looseObject({
  id: z.string(),
  status: z.string(),
  step: z.number(),
  model: z.string().nullable(),
  agent: z.object({ name: z.string(), version: z.number() }).nullable().optional(),
  outcome: z.unknown().nullable(),
  lastError: z.string().nullable().optional(),
  createdAt: z.string(),
});
export type RunShape = z.infer<typeof runShape>;
export const runListShape = z.object({ runs: z.array(runShape) });
/** POST /v1/runs/:id/fork's answer: the new run, with what it continues. */
export const forkShape = runShape.extend({ parentRunId: z.string(), forkedFromStep: z.number() });

export const completedOutcome = z.object({ type: z.literal('completed'), answer: z.string() });

export const reviewShape = z.looseObject({
  id: z.string(),
  runId: z.string(),
  kind: z.string(),
  status: z.string(),
  summary: z.string(),
  createdAt: z.string(),
});
export const reviewListShape = z.object({ reviews: z.array(reviewShape) });

export const agentShape = z.looseObject({
  name: z.string(),
  version: z.number(),
  description: z.string().nullable(),
  createdAt: z.string(),
});
export const agentListShape = z.object({ agents: z.array(agentShape) });

/** A persisted event as SSE carries it. */
export const runEventShape = z.object({ id: z.number(), type: z.string(), data: z.record(z.string(), z.unknown()) });
export const deltaShape = z.object({ kind: z.string(), text: z.string() });

export const runStatsShape = runShape.extend({
  usage: z.looseObject({ inputTokens: z.number(), outputTokens: z.number() }),
  costUsd: z.number().optional(),
  output: z.unknown().optional(),
});
export const transcriptShape = z.object({
  messages: z.array(z.looseObject({ seq: z.number(), message: z.looseObject({ type: z.string() }) })),
});
export const acceptedMessageShape = z.looseObject({ accepted: z.literal(true) });
export const reviewRequestedShape = z.looseObject({ reviewId: z.string(), summary: z.string(), kind: z.string().optional() });
export const historyShape = z.looseObject({ events: z.array(z.unknown()) });

/** A Worker Deployment (GET /v1/deployments/:name) and what a ramp, promote or rollback answers. */
export const deploymentShape = z.looseObject({
  name: z.string(),
  current: z.string().nullable(),
  ramping: z.object({ buildId: z.string(), percentage: z.number() }).nullable(),
  versions: z.array(z.looseObject({ buildId: z.string(), status: z.string(), createdAt: z.string().nullable() })),
});
export const deploymentChangeShape = z.object({
  change: z.looseObject({ action: z.string(), buildId: z.string().nullable(), previousCurrent: z.string().nullable() }),
  deployment: deploymentShape,
});
/** One eval score as POST /v1/runs/:id/scores answers it. */
export const scoreShape = z.looseObject({
  scorer: z.string(),
  kind: z.string(),
  score: z.number(),
  passed: z.boolean(),
  reason: z.string(),
});
export type ScoreShape = z.infer<typeof scoreShape>;
export const scoringShape = z.looseObject({ runId: z.string(), scoringId: z.string(), scores: z.array(scoreShape) });

/** An experiment (GET /v1/experiments/:id) and its report's per-arm metrics. */
export const experimentShape = z.looseObject({
  id: z.string(),
  name: z.string(),
  agent: z.string(),
  status: z.string(),
  winner: z.string().nullable(),
  arms: z.array(z.looseObject({ name: z.string(), weight: z.number() })),
  createdAt: z.string(),
});
export const experimentListShape = z.object({ experiments: z.array(experimentShape) });
const metricSummaryShape = z.looseObject({
  n: z.number(),
  estimate: z.number().nullable(),
  interval: z.object({ low: z.number(), high: z.number() }).nullable(),
  comparison: z.looseObject({ pValue: z.number(), significant: z.boolean() }).nullable(),
});
export const experimentReportShape = z.looseObject({
  experiment: experimentShape,
  baseline: z.string(),
  metrics: z.array(z.looseObject({ key: z.string(), label: z.string(), unit: z.string() })),
  arms: z.array(z.looseObject({
    name: z.string(),
    runs: z.looseObject({ enrolled: z.number(), finished: z.number() }),
    metrics: z.record(z.string(), metricSummaryShape),
  })),
});
