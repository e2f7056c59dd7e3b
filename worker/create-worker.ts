// Builds a Keel worker: activities from their clients, the agentRun workflow bundle, and tuning.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities/create-activities';
import { activityMetricsInterceptor } from './activity-metrics';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Defaults sized for one 2-core worker; every one can be overridden per deployment. */
export const WORKER_TUNING = {
  maxCachedWorkflows: 2000,
  // Steps mostly wait on model I/O: a slot per concurrent conversation is cheap (see bench:scale).
  maxConcurrentActivityTaskExecutions: 2000,
  // A local-first step holds its workflow task until it finishes or is promoted: allow one per conversation.
  maxConcurrentWorkflowTaskExecutions: 1000,
  maxConcurrentLocalActivityExecutions: 2000,
  // Frequent enough that a cancel or a hung stream is noticed within about a second.
  defaultHeartbeatThrottleInterval: '1s',
  maxHeartbeatThrottleInterval: '5s',
  // A restarted worker takes over a dead worker's sticky workflows quickly.
  stickyQueueScheduleToStartTimeout: '3s',
} satisfies Partial<WorkerOptions>;

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
};

export async function createKeelWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.dependencies),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    ...(options.dependencies.metrics && { interceptors: { activity: [activityMetricsInterceptor(options.dependencies.metrics)] } }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...WORKER_TUNING,
    ...options.tuning,
  });
}
