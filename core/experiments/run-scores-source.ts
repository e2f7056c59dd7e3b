// The port the experiment report reads eval scores through: each run's mean score (0–1). The evals
// feature owns the scores (stores/scores-repository.ts implements it).

export interface RunScoresSource {
  /** The mean score of each of the tenant's runs that has one; runs without scores are absent. */
  meanScoresByRun(tenantId: string, runIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
}
