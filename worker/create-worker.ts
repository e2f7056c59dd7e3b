// Builds a Keel worker: activities from their clients, the agentRun workflow bundle (with its
// interceptor modules), activity interceptors (OpenTelemetry when the process traces, request id,
// metrics), tuning, and its Worker Deployment version when it has a build id.
import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities/create-activities';
import type { WorkerDeploymentConfig } from '../core/worker-deployment';
import type { Tracing } from '../runtime/tracing';
import { activityMetricsInterceptor } from './activity-metrics';
import { requestIdInterceptor } from './request-id-interceptor';
import { workflowInterceptorModules } from './workflow-interceptor-modules';
import { workerTracing } from './worker-tracing';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Defaults sized for one 2-core worker; every one can be overridden per deployment. */
export const WORKER_TUNING = {
  // Each cached workflow costs about 2 MB, and every open workflow task needs its workflow cached. At
  // 500 concurrent runs on 2 cores (npm run test:load, docs/reliability.md) a cache of 250 beat one
  // of 2000: 7.9 vs 3.7 runs/s and a 1.8 vs 2.2 GB peak (11.1 vs 2.1 runs/s, 1.1 vs 1.3 GB with a
  // 512 MB heap), as fewer local-first steps compete at once and the rest wait in Temporal's queue.
  // A run evicted from the cache replays its (claim-checked, small) history on its next task.
  // KEEL_MAX_CACHED_WORKFLOWS overrides it (worker/start-worker.ts).
  maxCachedWorkflows: 250,
  // Steps mostly wait on model I/O: a slot per concurrent conversation is cheap (see bench:scale).
  maxConcurrentActivityTaskExecutions: 2000,
  // A local-first step holds its workflow task until it finishes or is promoted: one per cached workflow.
  maxConcurrentWorkflowTaskExecutions: 250,
  maxConcurrentLocalActivityExecutions: 2000,
  // Frequent enough that a cancel or a hung stream is noticed within about a second.
  defaultHeartbeatThrottleInterval: '1s',
  maxHeartbeatThrottleInterval: '5s',
  // A restarted worker takes over a dead worker's sticky workflows quickly.
  stickyQueueScheduleToStartTimeout: '3s',
} satisfies Partial<WorkerOptions>;

/**
 * The workflow cache a deployment sized (KEEL_MAX_CACHED_WORKFLOWS). Each cached workflow costs the
 * worker memory (about 2-4 MB here, docs/reliability.md); a workflow task needs its workflow in the
 * cache, so the concurrent tasks cannot outnumber it.
 */
export function cacheTuning(maxCachedWorkflows: number | undefined): Partial<WorkerOptions> {
  if (maxCachedWorkflows === undefined) return {};
  return {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: Math.max(2, Math.min(WORKER_TUNING.maxConcurrentWorkflowTaskExecutions, maxCachedWorkflows)),
  };
}

/**
 * A bundle built with tracing but run by a worker without it still finds the sink its workflow
 * interceptors write to; the spans go nowhere.
 */
const DROPPED_WORKFLOW_SPANS: NonNullable<WorkerOptions['sinks']> = { exporter: { export: { fn: () => undefined } } };

export type CreateWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** A prebuilt bundle (tests build it once per file); otherwise the worker bundles workflows itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: Partial<WorkerOptions>;
  /** Payload codecs (encryption); the workflow bundle needs none, they run on the main thread. */
  dataConverter?: WorkerOptions['dataConverter'];
  /** The process's tracing (runtime/tracing): workflow and activity spans join the run's trace. */
  tracing?: Tracing;
  /** A versioned worker (KEEL_BUILD_ID): it polls as this build of this deployment; absent, unversioned. */
  deployment?: WorkerDeploymentConfig;
};

/**
 * A versioned worker's options. Every workflow is PINNED by this default: a conversation never
 * switches code between steps. Workflows do not name a behaviour themselves (setWorkflowOptions):
 * the server refuses a workflow task completion naming one from an unversioned worker.
 */
export function workerDeploymentOptions(deployment: WorkerDeploymentConfig | undefined): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (!deployment) return {};
  return {
    workerDeploymentOptions: {
      version: { deploymentName: deployment.name, buildId: deployment.buildId },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'PINNED',
    },
  };
}

export async function createKeelWorker(options: CreateWorkerOptions): Promise<Worker> {
  const traced = options.tracing ? await workerTracing(options.tracing) : undefined;
  // The first is outermost: the activity's span covers the request id and the measurements.
  const activity: ActivityInterceptorsFactory[] = [
    ...(traced ? [traced.activityInterceptor] : []),
    requestIdInterceptor,
    ...(options.dependencies.metrics ? [activityMetricsInterceptor(options.dependencies.metrics)] : []),
  ];
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.dependencies),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    interceptors: {
      activity,
      // Used when the worker bundles; a prebuilt bundle already holds its modules (workflow-interceptor-modules.ts).
      ...(!options.workflowBundle && { workflowModules: workflowInterceptorModules({ tracing: traced !== undefined }) }),
    },
    sinks: traced?.sinks ?? DROPPED_WORKFLOW_SPANS,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...workerDeploymentOptions(options.deployment),
    ...WORKER_TUNING,
    ...options.tuning,
  });
}
