// What `bench:models` runs against: the local model server, a tuned Temporal dev server on free
// ports, a fresh PostgreSQL database, and Keel (API + worker, bench/support/keel-process.ts) in its
// own process with the benchmark's model pool file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { ulid } from 'ulid';
import { startModelServer, type ModelServer } from '../../model-server';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle';
import { startDevServer } from '../../scripts/dev-server';
import { ensureTemporalCli } from '../../scripts/install-temporal';
import { BENCH_SCENARIO, benchPoolYaml } from './models-pool';

const ROOT = path.resolve(__dirname, '..', '..');
const ADMIN_DATABASE_URL = process.env.KEEL_BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type ModelsStack = { modelServer: ModelServer; apiUrl: string; apiKey: string; stop(): Promise<void> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function adminQuery(statement: string): Promise<void> {
  const admin = new PgClient({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

function startKeel(environment: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; apiUrl: string; apiKey: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'keel-process.ts')], { cwd: ROOT, env: environment, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((candidate) => candidate.startsWith('KEEL_READY '));
      if (line) resolve({ child, ...JSON.parse(line.slice('KEEL_READY '.length)) });
    });
    child.once('exit', (code) => reject(new Error(`keel process exited with ${code} before it was ready`)));
  });
}

export async function startModelsStack(): Promise<ModelsStack> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'keel-bench-models-'));
  const cli = await ensureTemporalCli();
  const modelServer = await startModelServer({ port: 0, scenarios: [BENCH_SCENARIO] });
  const temporal = await startDevServer({ cli, home: scratch, port: await freePort(), uiPort: await freePort() });
  const databaseName = `keel_bench_models_${process.pid}`;
  await adminQuery(`CREATE DATABASE ${databaseName}`);
  const databaseUrl = new URL(ADMIN_DATABASE_URL);
  databaseUrl.pathname = `/${databaseName}`;
  const poolFile = path.join(scratch, 'model-pool.yaml');
  writeFileSync(poolFile, benchPoolYaml(modelServer.openaiBaseURL));
  const keel = await startKeel({
    ...process.env,
    KEEL_HOME: path.join(scratch, 'keel'),
    TEMPORAL_ADDRESS: temporal.address,
    KEEL_TASK_QUEUE: `bench-models-${ulid()}`,
    KEEL_MODEL_SERVER_URL: modelServer.openaiBaseURL,
    KEEL_MODEL_POOL_FILE: poolFile,
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
    KEEL_WORKFLOW_BUNDLE: await buildWorkflowBundle(path.join(scratch, 'workflow-bundle.js')),
  });
  return {
    modelServer,
    apiUrl: keel.apiUrl,
    apiKey: keel.apiKey,
    async stop() {
      keel.child.kill('SIGTERM');
      await new Promise((resolve) => keel.child.once('exit', resolve));
      await temporal.stop();
      await modelServer.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    },
  };
}
