// The workflows this worker registers (the bundle's entry point).
export { agentRun } from './agent-run';
export { modelHealth } from './model-health';
export { runScoring } from './run-scoring';
