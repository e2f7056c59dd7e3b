// Starts a worker from configuration: services, providers, tools, Temporal connection.
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { KeelConfig } from '../core/config';
import { createProvider } from '../providers';
import { createToolRegistry } from '../tools';
import type { Logger } from '../runtime/logger';
import type { Services } from '../runtime/services';
import { createKeelWorker } from './create-worker';

export type RunningWorker = { worker: Worker; running: Promise<void>; stop(): Promise<void> };

export async function startWorker(
  config: KeelConfig,
  services: Services,
  options: { workflowBundle?: WorkerOptions['workflowBundle']; tuning?: Partial<WorkerOptions>; logger?: Logger } = {},
): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createKeelWorker({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowBundle: options.workflowBundle ?? (config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined),
    tuning: options.tuning,
    dependencies: {
      db: services.database.db,
      bus: services.bus,
      catalog: services.catalog,
      providerFor: createProvider,
      tools: createToolRegistry(),
      workspaceRoot: config.workspaceRoot,
      jobsRoot: config.jobsRoot,
      logger: options.logger,
    },
  });
  const running = worker.run().finally(() => connection.close());
  return {
    worker,
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
