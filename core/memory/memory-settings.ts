// How semantic memory merges and ranks: the similarity at which a new fact supersedes an old one,
// how many vector candidates a search reranks, the score weights and the recency half-life.

export const DEFAULT_MERGE_SIMILARITY = 0.9;
export const DEFAULT_SEARCH_CANDIDATES = 20;
export const DEFAULT_HALF_LIFE_DAYS = 30;
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = { similarity: 0.7, importance: 0.2, recency: 0.1 };

export type ScoreWeights = { similarity: number; importance: number; recency: number };

export type MemorySettings = {
  /** Cosine similarity at or above which a new note supersedes the most similar live one. */
  mergeSimilarity: number;
  /** Nearest neighbours fetched from the store before reranking. */
  searchCandidates: number;
  halfLifeDays: number;
  weights: ScoreWeights;
};

export const DEFAULT_MEMORY_SETTINGS: MemorySettings = {
  mergeSimilarity: DEFAULT_MERGE_SIMILARITY,
  searchCandidates: DEFAULT_SEARCH_CANDIDATES,
  halfLifeDays: DEFAULT_HALF_LIFE_DAYS,
  weights: DEFAULT_SCORE_WEIGHTS,
};
