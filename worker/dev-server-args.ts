// Settings for the single-process Temporal dev server (start-dev). Dev-server only: on a real
// cluster the equivalents are more history shards and the cluster's own persistence tuning.

/**
 * The shipped default of transferProcessorMaxPollRPS (20/s on one shard) adds ~40 ms to every
 * task dispatch; WAL + synchronous=normal makes SQLite commits cheap. Eager activity dispatch
 * hands the next activity back in the workflow-task response.
 */
export const TUNED_DEV_SERVER_ARGS = [
  '--dynamic-config-value', 'history.transferProcessorMaxPollRPS=1000',
  '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
  // Worker Deployments (KEEL_BUILD_ID, /v1/deployments): on by default in Server 1.29, named here
  // so no server default can turn them off (infra/temporal/dynamic-config.yaml sets the same).
  '--dynamic-config-value', 'system.enableDeploymentVersions=true',
  '--dynamic-config-value', 'frontend.workerVersioningWorkflowAPIs=true',
  '--sqlite-pragma', 'journal_mode=wal',
  '--sqlite-pragma', 'synchronous=normal',
] as const;

/** Registers Keel's search attributes on a dev server (`start-dev --search-attribute`). */
export const SEARCH_ATTRIBUTE_ARGS = [
  '--search-attribute', 'KeelTenant=Keyword',
  '--search-attribute', 'KeelUser=Keyword',
] as const;
