// The port the experiment report reads eval scores through: each run's mean score (0–1). The evals
// feature owns the scores; until it is wired in, `NO_RUN_SCORES` reports none (eval score n = 0).

export interface RunScoresSource {
  /** The mean score of each of the tenant's runs that has one; runs without scores are absent. */
  meanScoresByRun(tenantId: string, runIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
}

export const NO_RUN_SCORES: RunScoresSource = {
  meanScoresByRun: async () => new Map(),
};
