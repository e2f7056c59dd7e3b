// Sums scores per scorer and overall (n, mean, pass rate): the API's per-agent aggregates and the
// CLI's eval table are the same arithmetic.
export type ScoreSummaryRow = { scorer: string; n: number; mean: number; passRate: number };
export type ScoreSummary = { scorers: ScoreSummaryRow[]; overall: Omit<ScoreSummaryRow, 'scorer'> };

export function summariseScores(scores: ReadonlyArray<{ scorer: string; score: number; passed: boolean }>): ScoreSummary {
  const byScorer = new Map<string, Array<{ score: number; passed: boolean }>>();
  for (const entry of scores) {
    const list = byScorer.get(entry.scorer) ?? [];
    list.push(entry);
    byScorer.set(entry.scorer, list);
  }
  const rows = [...byScorer.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([scorer, list]) => ({ scorer, ...totals(list) }));
  return { scorers: rows, overall: totals(scores) };
}

function totals(list: ReadonlyArray<{ score: number; passed: boolean }>): Omit<ScoreSummaryRow, 'scorer'> {
  if (list.length === 0) return { n: 0, mean: 0, passRate: 0 };
  const sum = list.reduce((total, entry) => total + entry.score, 0);
  const passed = list.filter((entry) => entry.passed).length;
  return { n: list.length, mean: round(sum / list.length), passRate: round(passed / list.length) };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
