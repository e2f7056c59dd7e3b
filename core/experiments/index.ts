// A/B experiments over agent configurations: assignment, statistics and the report's metrics.
export * from './arm-assignment';
export * from './arm-metrics';
export * from './experiment-statistics';
export * from './run-scores-source';
