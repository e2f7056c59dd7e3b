// The eval's arithmetic and its table: per scorer and overall, how many scores, their mean and the
// share that passed (the same sums as GET /v1/agents/:name/scores), and the verdict on the threshold.
import { table } from './cli-io';

export type SummaryRow = { scorer: string; n: number; mean: number; passRate: number };
export type EvalSummary = { scorers: SummaryRow[]; overall: Omit<SummaryRow, 'scorer'> };
export type EvalMetric = 'pass-rate' | 'mean';

export function summarise(scores: ReadonlyArray<{ scorer: string; score: number; passed: boolean }>): EvalSummary {
  const byScorer = new Map<string, Array<{ score: number; passed: boolean }>>();
  for (const entry of scores) byScorer.set(entry.scorer, [...(byScorer.get(entry.scorer) ?? []), entry]);
  const scorers = [...byScorer.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([scorer, list]) => ({ scorer, ...totals(list) }));
  return { scorers, overall: totals(scores) };
}

function totals(list: ReadonlyArray<{ score: number; passed: boolean }>): Omit<SummaryRow, 'scorer'> {
  if (list.length === 0) return { n: 0, mean: 0, passRate: 0 };
  const mean = list.reduce((sum, entry) => sum + entry.score, 0) / list.length;
  const passRate = list.filter((entry) => entry.passed).length / list.length;
  return { n: list.length, mean: round(mean), passRate: round(passRate) };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export function metricValue(summary: EvalSummary, metric: EvalMetric): number {
  return metric === 'mean' ? summary.overall.mean : summary.overall.passRate;
}

export function summaryTable(summary: EvalSummary): string {
  const row = (name: string, entry: Omit<SummaryRow, 'scorer'>) => [name, String(entry.n), entry.mean.toFixed(2), `${(entry.passRate * 100).toFixed(1)}%`];
  return table([['SCORER', 'N', 'MEAN', 'PASS RATE'], ...summary.scorers.map((entry) => row(entry.scorer, entry)), row('overall', summary.overall)]);
}
