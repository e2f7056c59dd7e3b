// An experiment's report: its enrolled runs read back (status, usage, reviews, reflection, eval
// scores through the RunScoresSource port), folded per arm into metrics with intervals and tests.
import {
  CONFIDENCE_LEVEL, METRIC_DESCRIPTIONS, SIGNIFICANCE_LEVEL, summariseArms, type RunObservation, type RunScoresSource,
} from '../core/experiments';
import { TERMINAL_STATUSES } from '../core/run-status';
import type { ExperimentRunRow, ExperimentRunsRepository, RunReviewCount } from '../stores/experiment-runs-repository';
import type { ExperimentRow } from '../stores/experiments-repository';
import { storedArms } from './experiment-enrollment';
import type { z } from 'zod';
import type { experimentReport } from './experiment-schemas';
import { toExperimentResource } from './experiment-resource';

export type ExperimentReport = z.infer<typeof experimentReport>;

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

function reviewsByRun(counts: readonly RunReviewCount[]): Map<string, RunObservation['reviews']> {
  const byRun = new Map<string, RunObservation['reviews']>();
  for (const { runId, status, reviews } of counts) {
    const entry = byRun.get(runId) ?? { approved: 0, rejected: 0, decided: 0 };
    if (status === 'approved') entry.approved += reviews;
    if (status === 'rejected') entry.rejected += reviews;
    // Pending and closed (the run ended first) reviews reached no decision.
    if (status === 'approved' || status === 'rejected' || status === 'timed_out') entry.decided += reviews;
    byRun.set(runId, entry);
  }
  return byRun;
}

export class ExperimentReports {
  constructor(private readonly deps: { runs: ExperimentRunsRepository; scores: RunScoresSource }) {}

  async report(experiment: ExperimentRow, now = new Date()): Promise<ExperimentReport> {
    const arms = storedArms(experiment);
    const { tenantId, id } = experiment;
    const [rows, reviewCounts, confidences] = await Promise.all([
      this.deps.runs.runs(tenantId, id), this.deps.runs.reviewCounts(tenantId, id), this.deps.runs.reflectionConfidences(tenantId, id),
    ]);
    // The metrics are over runs assigned while the experiment ran; the winner's later runs are counted apart.
    const stoppedAt = experiment.stoppedAt;
    const assigned = (row: ExperimentRunRow) => stoppedAt === null || row.createdAt <= stoppedAt;
    const finished = rows.filter((row) => assigned(row) && TERMINAL.has(row.status));
    const scores = await this.deps.scores.meanScoresByRun(tenantId, finished.map((row) => row.id));
    const reviews = reviewsByRun(reviewCounts);
    const observations: RunObservation[] = finished.map((row) => ({
      arm: row.arm,
      status: row.status,
      steps: row.steps,
      tokens: row.inputTokens + row.outputTokens,
      costUsd: row.costUsd,
      durationSeconds: Math.max(0, ((row.finishedAt ?? row.createdAt).getTime() - row.createdAt.getTime()) / 1000),
      reflectionConfidence: confidences.get(row.id),
      evalScore: scores.get(row.id),
      reviews: reviews.get(row.id) ?? { approved: 0, rejected: 0, decided: 0 },
    }));
    return {
      experiment: toExperimentResource(experiment),
      baseline: arms[0]?.name ?? '',
      confidenceLevel: CONFIDENCE_LEVEL,
      significanceLevel: SIGNIFICANCE_LEVEL,
      metrics: METRIC_DESCRIPTIONS.map((metric) => ({ ...metric })),
      arms: summariseArms(arms, observations).map(({ arm, metrics }) => {
        const ofArm = rows.filter((row) => row.arm === arm.name);
        const enrolled = ofArm.filter(assigned);
        return {
          name: arm.name,
          weight: arm.weight,
          runs: {
            enrolled: enrolled.length,
            finished: enrolled.filter((row) => TERMINAL.has(row.status)).length,
            active: enrolled.filter((row) => !TERMINAL.has(row.status)).length,
            routedToWinner: ofArm.length - enrolled.length,
          },
          metrics,
        };
      }),
      generatedAt: now.toISOString(),
    };
  }
}
