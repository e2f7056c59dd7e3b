// Starts a worker from configuration: services, providers, tools, Temporal connection, and (with
// a model pool) the schedule of the pool's health checks.
import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { KeelConfig } from '../core/config';
import { REVIEW_KINDS } from '../core/review';
import { createProvider } from '../providers';
import { createDefaultTools, createToolRegistry } from '../tools';
import { describeBashSandbox, resolveBashSandbox, type BashSandbox } from '../tools/sandbox';
import type { Logger } from '../runtime/logger';
import type { Services } from '../runtime/services';
import { circuitStatesSource, KeelMetrics, MetricLabels } from '../runtime/metrics';
import { McpConnections } from '../activities/tool-turn/mcp-tools';
import { RunsRepository } from '../stores/runs-repository';
import { activeTracing } from '../runtime/tracing';
import { cacheTuning, createKeelWorker } from './create-worker';
import { upsertHealthSchedule } from './health-schedule';
import { startMetricsServer, type MetricsServer } from './metrics-server';
import { payloadCodecsFor } from '../runtime/payload-codec';

export type RunningWorker = {
  worker: Worker;
  running: Promise<void>;
  /** How this worker runs bash (for start-up banners). */
  bashSandbox: BashSandbox;
  /** The worker's Prometheus series. */
  metrics: KeelMetrics;
  /** Where they are served, when KEEL_METRICS_PORT is set. */
  metricsServer?: MetricsServer;
  /** Its connection: an API in the same process shares it to start runs eagerly (closed when the worker stops). */
  connection: NativeConnection;
  stop(): Promise<void>;
};

export async function startWorker(
  config: KeelConfig,
  services: Services,
  options: {
    workflowBundle?: WorkerOptions['workflowBundle'];
    tuning?: Partial<WorkerOptions>;
    logger?: Logger;
    healthSchedule?: boolean;
    /** Replaces the start-up detection of the bash sandbox (tests). */
    bashSandbox?: BashSandbox;
  } = {},
): Promise<RunningWorker> {
  const bashSandbox = options.bashSandbox ?? (await resolveWorkerSandbox(config));
  reportBashSandbox(bashSandbox, options.logger);
  const metrics = new KeelMetrics('worker');
  const labels = new MetricLabels(services.catalog, services.pool);
  metrics.startAtZero({ models: labels.knownModels(), tools: labels.knownTools(), reviewKinds: REVIEW_KINDS });
  metrics.watch({ circuitStates: circuitStatesSource(services.circuits, services.pool?.ids() ?? services.catalog.ids(), labels) });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  // MCP children (stdio servers) and sessions live as long as the worker.
  const mcp = new McpConnections(new RunsRepository(services.database.db), process.env, { sandbox: bashSandbox, scratchRoot: path.join(config.jobsRoot, 'mcp') });
  const worker = await createKeelWorker({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowBundle: options.workflowBundle ?? (config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined),
    tuning: { ...cacheTuning(config.maxCachedWorkflows), ...options.tuning },
    dataConverter: { payloadCodecs: payloadCodecsFor(config.codec.keys) },
    tracing: activeTracing(),
    deployment: config.deployment,
    dependencies: {
      db: services.database.db,
      bus: services.bus,
      catalog: services.catalog,
      providerFor: createProvider,
      tools: createToolRegistry(createDefaultTools({ bashSandbox })),
      workspaceRoot: config.workspaceRoot,
      jobsRoot: config.jobsRoot,
      logger: options.logger,
      circuits: services.circuits,
      responseCache: services.responseCache,
      stepSlots: services.stepSlots,
      stepSlotLeaseMs: config.stepSlotLeaseMs,
      pool: services.pool,
      memory: services.memory,
      context: config.context,
      metrics,
      mcp,
      skillsDir: config.skillsDir,
    },
  });
  const { metrics: metricsConfig } = config.operations;
  const metricsServer = metricsConfig.port === undefined
    ? undefined
    : await startMetricsServer(metrics, { host: metricsConfig.host, port: metricsConfig.port, temporalPort: metricsConfig.temporalPort, token: metricsConfig.token });
  if (metricsServer) options.logger?.info({ url: `${metricsServer.url}/metrics` }, 'worker metrics served');
  if (services.pool && options.healthSchedule !== false) {
    const client = new Client({ connection, namespace: config.namespace, dataConverter: { payloadCodecs: payloadCodecsFor(config.codec.keys) } });
    try {
      const scheduleId = await upsertHealthSchedule(client, { taskQueue: config.taskQueue, intervalMinutes: services.pool.config.health.intervalMinutes, modelIds: services.pool.ids() });
      options.logger?.info({ scheduleId, intervalMinutes: services.pool.config.health.intervalMinutes }, 'model health schedule in place');
    } catch (error) {
      // Health checks are advisory: a worker without them still serves runs.
      options.logger?.error({ err: error }, 'could not create or update the model health schedule');
    }
  }
  const running = worker.run().finally(() => Promise.all([connection.close(), mcp.close()]).then(() => undefined));
  return {
    worker,
    running,
    bashSandbox,
    metrics,
    metricsServer,
    connection,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await metricsServer?.close();
    },
  };
}

function resolveWorkerSandbox(config: KeelConfig): Promise<BashSandbox> {
  return resolveBashSandbox({ unsafe: config.sandbox.unsafeBash, limits: config.sandbox.limits, readOnlyPaths: config.sandbox.readOnlyPaths });
}

/** Says at start-up how bash runs; a missing sandbox is loud (bash calls will be refused), not fatal. */
function reportBashSandbox(sandbox: BashSandbox, logger: Logger | undefined): void {
  const { level, message } = describeBashSandbox(sandbox);
  if (logger) {
    logger[level]({ bashSandbox: sandbox.kind }, message);
  } else if (level !== 'info') {
    console.warn(`[keel] ${message}`);
  }
}

