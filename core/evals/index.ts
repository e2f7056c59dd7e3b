// Evals over finished runs: scorer definitions, deterministic scoring, the rubric judge and live sampling.
export * from './scorers';
export * from './deterministic-scoring';
export * from './rubric-judge';
export * from './live-sampling';
