// Evals over finished runs: scorer definitions, deterministic scoring, the rubric judge, live sampling and score summaries.
export * from './scorers';
export * from './deterministic-scoring';
export * from './rubric-judge';
export * from './live-sampling';
export * from './score-summary';
