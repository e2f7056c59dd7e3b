// The metrics of an experiment report: each arm's runs folded into rates and means, each with its
// 95% interval and, for every arm after the first (the baseline), its test against the baseline.
import {
  SIGNIFICANCE_LEVEL, describeSample, meanInterval, twoProportionZTest, welchTTest, wilsonInterval, type Interval,
} from './experiment-statistics';

/** One finished run of an arm, as the report reads it. */
export type RunObservation = {
  arm: string;
  status: string;
  steps: number;
  tokens: number;
  costUsd: number;
  durationSeconds: number;
  /** The last reflection's confidence (0–100), when the run reflected. */
  reflectionConfidence?: number;
  /** The run's mean eval score (0–1), when it was scored. */
  evalScore?: number;
  /** Its reviews that ended in a decision (approved, rejected or timed out). */
  reviews: { approved: number; rejected: number; decided: number };
};

export const RATE_METRICS = ['completionRate', 'failureRate', 'budgetExceededRate', 'approvalRate', 'rejectionRate'] as const;
export const MEAN_METRICS = ['reflectionConfidence', 'evalScore', 'costUsd', 'tokens', 'durationSeconds', 'steps'] as const;
export type RateMetric = (typeof RATE_METRICS)[number];
export type MeanMetric = (typeof MEAN_METRICS)[number];

export type Comparison = {
  test: 'two-proportion-z' | 'welch-t';
  /** This arm's estimate minus the baseline's. */
  difference: number;
  statistic: number | null;
  pValue: number;
  degreesOfFreedom?: number | null;
  significant: boolean;
};

export type RateSummary = { kind: 'rate'; n: number; successes: number; estimate: number | null; interval: Interval | null; comparison: Comparison | null };
export type MeanSummary = { kind: 'mean'; n: number; estimate: number | null; standardDeviation: number | null; interval: Interval | null; comparison: Comparison | null };
export type ArmMetrics = Record<RateMetric, RateSummary> & Record<MeanMetric, MeanSummary>;

type RateCount = { successes: number; trials: number };

function rateCounts(runs: readonly RunObservation[]): Record<RateMetric, RateCount> {
  const ofStatus = (status: string) => ({ successes: runs.filter((run) => run.status === status).length, trials: runs.length });
  const decided = runs.reduce((sum, run) => sum + run.reviews.decided, 0);
  return {
    completionRate: ofStatus('completed'),
    failureRate: ofStatus('failed'),
    budgetExceededRate: ofStatus('budget_exceeded'),
    // Reviews, not runs, are the trials: a run may hold several (their dependence is ignored).
    approvalRate: { successes: runs.reduce((sum, run) => sum + run.reviews.approved, 0), trials: decided },
    rejectionRate: { successes: runs.reduce((sum, run) => sum + run.reviews.rejected, 0), trials: decided },
  };
}

function meanValues(runs: readonly RunObservation[]): Record<MeanMetric, number[]> {
  const present = (values: Array<number | undefined>) => values.filter((value): value is number => value !== undefined);
  return {
    reflectionConfidence: present(runs.map((run) => run.reflectionConfidence)),
    evalScore: present(runs.map((run) => run.evalScore)),
    costUsd: runs.map((run) => run.costUsd),
    tokens: runs.map((run) => run.tokens),
    durationSeconds: runs.map((run) => run.durationSeconds),
    steps: runs.map((run) => run.steps),
  };
}

function rateSummary(count: RateCount, baseline: RateCount | undefined): RateSummary {
  const estimate = count.trials > 0 ? count.successes / count.trials : null;
  const test = baseline && twoProportionZTest(baseline, count);
  return {
    kind: 'rate', n: count.trials, successes: count.successes, estimate, interval: wilsonInterval(count.successes, count.trials),
    comparison: test && estimate !== null ? {
      test: 'two-proportion-z', difference: estimate - baseline.successes / baseline.trials, statistic: test.statistic, pValue: test.pValue,
      significant: test.pValue < SIGNIFICANCE_LEVEL,
    } : null,
  };
}

function meanSummary(values: readonly number[], baseline: readonly number[] | undefined): MeanSummary {
  const sample = describeSample(values);
  const base = baseline && describeSample(baseline);
  const test = base && welchTTest(base, sample);
  return {
    kind: 'mean', n: sample.n, estimate: sample.n > 0 ? sample.mean : null,
    standardDeviation: sample.n > 1 ? Math.sqrt(sample.variance) : null, interval: meanInterval(sample),
    comparison: test && base ? {
      test: 'welch-t', difference: sample.mean - base.mean, statistic: test.statistic, pValue: test.pValue, degreesOfFreedom: test.degrees,
      significant: test.pValue < SIGNIFICANCE_LEVEL,
    } : null,
  };
}

/** Each arm's metrics in the arms' order; the first arm is the baseline the others are tested against. */
export function summariseArms<Arm extends { name: string }>(arms: readonly Arm[], runs: readonly RunObservation[]): Array<{ arm: Arm; metrics: ArmMetrics }> {
  const byArm = arms.map((arm) => runs.filter((run) => run.arm === arm.name));
  const baselineRates = byArm[0] && rateCounts(byArm[0]);
  const baselineMeans = byArm[0] && meanValues(byArm[0]);
  return arms.map((arm, index) => {
    const rates = rateCounts(byArm[index] ?? []);
    const means = meanValues(byArm[index] ?? []);
    const rate = (metric: RateMetric) => rateSummary(rates[metric], index > 0 ? baselineRates?.[metric] : undefined);
    const mean = (metric: MeanMetric) => meanSummary(means[metric], index > 0 ? baselineMeans?.[metric] : undefined);
    const metrics: ArmMetrics = {
      completionRate: rate('completionRate'), failureRate: rate('failureRate'), budgetExceededRate: rate('budgetExceededRate'),
      approvalRate: rate('approvalRate'), rejectionRate: rate('rejectionRate'),
      reflectionConfidence: mean('reflectionConfidence'), evalScore: mean('evalScore'), costUsd: mean('costUsd'),
      tokens: mean('tokens'), durationSeconds: mean('durationSeconds'), steps: mean('steps'),
    };
    return { arm, metrics };
  });
}

/** What each metric is, for the report's readers (the console labels its charts with these). */
export const METRIC_DESCRIPTIONS: ReadonlyArray<{ key: RateMetric | MeanMetric; label: string; unit: 'ratio' | 'confidence' | 'score' | 'usd' | 'tokens' | 'seconds' | 'steps'; over: string }> = [
  { key: 'completionRate', label: 'Completion rate', unit: 'ratio', over: 'finished runs' },
  { key: 'failureRate', label: 'Failure rate', unit: 'ratio', over: 'finished runs' },
  { key: 'budgetExceededRate', label: 'Budget exceeded rate', unit: 'ratio', over: 'finished runs' },
  { key: 'approvalRate', label: 'Human approval rate', unit: 'ratio', over: 'decided reviews' },
  { key: 'rejectionRate', label: 'Human rejection rate', unit: 'ratio', over: 'decided reviews' },
  { key: 'reflectionConfidence', label: 'Reflection confidence', unit: 'confidence', over: 'finished runs that reflected' },
  { key: 'evalScore', label: 'Eval score', unit: 'score', over: 'finished runs with scores' },
  { key: 'costUsd', label: 'Cost per run', unit: 'usd', over: 'finished runs' },
  { key: 'tokens', label: 'Tokens per run', unit: 'tokens', over: 'finished runs' },
  { key: 'durationSeconds', label: 'Latency (run duration)', unit: 'seconds', over: 'finished runs' },
  { key: 'steps', label: 'Steps per run', unit: 'steps', over: 'finished runs' },
];
