// Starts Keel for a test file the way production wires it: real Temporal (the shared test server),
// real PostgreSQL (the run's test database) or PGlite, the local model server, a worker on the
// file's own task queue and the HTTP API on a free port.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { stringify as toYaml } from 'yaml';
import { startApi, type RunningApi } from '../../api/start-api';
import { loadConfig, type KeelConfig } from '../../core/config';
import { startModelServer } from '../../model-server';
import { createLogger, type Logger } from '../../runtime/logger';
import { openServices, type Services } from '../../runtime/services';
import { TenantsRepository } from '../../stores/tenants-repository';
import { startWorker, type RunningWorker } from '../../worker/start-worker';
import { healthScheduleId } from '../../worker/health-schedule';

export type ModelServer = Awaited<ReturnType<typeof startModelServer>>;

export type Harness = {
  config: KeelConfig;
  services: Services;
  modelServer: ModelServer;
  api: RunningApi;
  worker?: RunningWorker;
  apiUrl: string;
  /** Keys of two tenants, for isolation tests. */
  keys: { a: string; b: string };
  tenantIds: { a: string; b: string };
  startWorker(): Promise<RunningWorker>;
  /** Another worker on the same task queue with its own services (database pool, bus, circuit store). */
  startSecondWorker(): Promise<{ worker: RunningWorker; services: Services }>;
  close(): Promise<void>;
};

export type HarnessOptions = {
  database?: 'postgres' | 'pglite';
  /** PostgreSQL at another address than the test database's own (a proxy in front of it). */
  databaseUrl?: string;
  /** Another Temporal server than the shared test server (one the test restarts). */
  temporalAddress?: string;
  worker?: boolean;
  /** A fixed API port (a Temporal Web UI started before the harness must know the codec endpoint's URL). */
  apiPort?: number;
  latencyMs?: number;
  /** A model pool document (written as YAML and passed as KEEL_MODEL_POOL_FILE), built from the model server's URLs. */
  pool?: (modelServer: ModelServer) => Record<string, unknown>;
  /** Redis for the event bus and the circuit store (otherwise their in-process twins). */
  redisUrl?: string;
  /** Circuit keys in Redis start with this (unique per test file). */
  circuitKeyPrefix?: string;
  /** Extra models (written as a models file and passed as KEEL_MODELS_FILE), built from the model server's URLs. */
  models?: (modelServer: ModelServer) => Array<Record<string, unknown>>;
  /** More environment for the configuration (context settings...). */
  environment?: Record<string, string>;
  /** The worker bundles its workflows itself instead of using the shared bundle (with tracing, so the bundle holds its interceptors). */
  ownWorkflowBundle?: boolean;
  /** The logger of the API and worker (a silent one at LOG_LEVEL otherwise). */
  logger?: Logger;
};

export function testDatabaseUrl(): string {
  const url = process.env.KEEL_TEST_DATABASE_URL;
  if (!url) throw new Error('KEEL_TEST_DATABASE_URL is not set: run tests through jest (globalSetup creates the database)');
  return url;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const modelServer = await startModelServer({ port: 0, latencyMs: options.latencyMs });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'keel-test-'));
  const poolFile = options.pool ? path.join(scratch, 'model-pool.yaml') : undefined;
  if (poolFile && options.pool) writeFileSync(poolFile, toYaml(options.pool(modelServer)));
  const modelsFile = options.models ? path.join(scratch, 'models.json') : undefined;
  if (modelsFile && options.models) writeFileSync(modelsFile, JSON.stringify({ models: options.models(modelServer) }));
  const config = loadConfig(
    {
      KEEL_MODEL_SERVER_URL: `${modelServer.url}/v1`,
      LOG_LEVEL: process.env.KEEL_TEST_LOG_LEVEL ?? 'silent',
      ...(poolFile && { KEEL_MODEL_POOL_FILE: poolFile }),
      ...(options.redisUrl && { REDIS_URL: options.redisUrl }),
      ...(modelsFile && { KEEL_MODELS_FILE: modelsFile }),
      // Set by the global setup when this machine has no bubblewrap (agent tests then run bash unsandboxed).
      ...(process.env.KEEL_UNSAFE_BASH === '1' && { KEEL_UNSAFE_BASH: '1' }),
      ...options.environment,
    },
    {
      home: scratch,
      temporalAddress: options.temporalAddress ?? process.env.TEMPORAL_ADDRESS,
      taskQueue: `keel-test-${ulid()}`,
      databaseUrl: options.database === 'pglite' ? undefined : options.databaseUrl ?? testDatabaseUrl(),
      pgliteDir: 'memory://',
      workspaceRoot: path.join(scratch, 'workspaces'),
      jobsRoot: path.join(scratch, 'jobs'),
      apiPort: options.apiPort ?? 0,
    },
    (file) => readFileSync(file, 'utf8'),
  );
  const services = await openServices(config, { migrate: options.database === 'pglite', circuitKeyPrefix: options.circuitKeyPrefix, workerInProcess: options.worker !== false });
  const tenants = new TenantsRepository(services.database.db);
  const suffix = ulid().toLowerCase();
  const keys = { a: '', b: '' };
  const tenantIds = { a: `ta_${suffix}`, b: `tb_${suffix}` };
  for (const tenant of ['a', 'b'] as const) {
    const tenantId = tenantIds[tenant];
    await tenants.ensureTenant(tenantId, `Tenant ${tenant}`);
    keys[tenant] = (await tenants.createApiKey({ tenantId, userId: `user-${tenant}`, name: 'test' })).key;
  }
  const logger = options.logger ?? createLogger(config.logLevel);
  const api = await startApi(config, services, logger);
  const bundlePath = options.ownWorkflowBundle ? undefined : process.env.KEEL_TEST_WORKFLOW_BUNDLE;
  const launchWorker = (on: Services = services) => startWorker(config, on, { workflowBundle: bundlePath ? { codePath: bundlePath } : undefined, logger });
  const extras: Array<{ worker: RunningWorker; services: Services }> = [];
  const harness: Harness = {
    config,
    services,
    modelServer,
    api,
    apiUrl: api.url,
    keys,
    tenantIds,
    worker: options.worker === false ? undefined : await launchWorker(),
    async startWorker() {
      harness.worker = await launchWorker();
      return harness.worker;
    },
    async startSecondWorker() {
      const secondServices = await openServices(config, { circuitKeyPrefix: options.circuitKeyPrefix });
      const second = { worker: await launchWorker(secondServices), services: secondServices };
      extras.push(second);
      return second;
    },
    async close() {
      for (const extra of extras) {
        await extra.worker.stop();
        await extra.services.close();
      }
      if (config.pool) await api.client.schedule.getHandle(healthScheduleId(config.taskQueue)).delete().catch(() => undefined);
      await harness.worker?.stop();
      await api.stop();
      await services.close();
      await modelServer.close();
    },
  };
  return harness;
}
