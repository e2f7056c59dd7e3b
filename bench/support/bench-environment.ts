// What every benchmark starts: the local model server, a tuned Temporal dev server on free ports,
// a fresh PostgreSQL database (or PGlite), and Keel (API + worker) in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { ulid } from 'ulid';
import { startModelServer, type ModelServer, type ScenarioInput } from '../../model-server';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle';
import { startDevServer, type DevServer } from '../../scripts/dev-server';
import { ensureTemporalCli } from '../../scripts/install-temporal';

const ROOT = path.resolve(__dirname, '..', '..');
const ADMIN_DATABASE_URL = process.env.KEEL_BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type BenchEnvironment = {
  scratch: string;
  modelServer: ModelServer;
  temporal: DevServer;
  temporalClient: Client;
  keel: { child: ChildProcess; apiUrl: string; apiKey: string; pid: number };
  close(): Promise<void>;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `keel_bench_${process.pid}_${Date.now()}`;
  const admin = new PgClient({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new PgClient({ connectionString: ADMIN_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

function startKeel(environment: NodeJS.ProcessEnv): Promise<BenchEnvironment['keel']> {
  const profile = process.env.KEEL_BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.join(ROOT, 'bench', 'results')] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(__dirname, 'keel-process.ts')], {
    cwd: ROOT, env: environment, stdio: ['ignore', 'pipe', 'inherit'],
  });
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

export type BenchEnvironmentOptions = {
  pglite?: boolean;
  scenarios?: ScenarioInput[];
  /** Extra environment for the Keel process, given the model server and a scratch folder (e.g. a pool file). */
  keelEnvironment?: (context: { modelServer: ModelServer; scratch: string }) => Record<string, string>;
  /** Model requests kept for reading back (bench:scale reads step gaps from them); default 50. */
  requestLogCapacity?: number;
};

export async function startBenchEnvironment(options: BenchEnvironmentOptions = {}): Promise<BenchEnvironment> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'keel-bench-'));
  const cli = await ensureTemporalCli();
  // A small request log by default: long conversations send megabytes per request.
  const modelServer = await startModelServer({ port: 0, requestLogCapacity: options.requestLogCapacity ?? 50, scenarios: options.scenarios });
  const temporal = await startDevServer({ cli, home: scratch, port: await freePort(), uiPort: await freePort() });
  const database = options.pglite ? undefined : await createBenchDatabase();
  const keel = await startKeel({
    ...process.env,
    KEEL_HOME: path.join(scratch, 'keel'),
    TEMPORAL_ADDRESS: temporal.address,
    KEEL_TASK_QUEUE: `bench-${ulid()}`,
    KEEL_MODEL_SERVER_URL: `${modelServer.url}/v1`,
    LOG_LEVEL: 'warn',
    KEEL_WORKFLOW_BUNDLE: await buildWorkflowBundle(path.join(scratch, 'workflow-bundle.js')),
    DATABASE_URL: database?.url ?? '',
    ...options.keelEnvironment?.({ modelServer, scratch }),
  });
  const connection = await Connection.connect({ address: temporal.address });
  return {
    scratch,
    modelServer,
    temporal,
    temporalClient: new Client({ connection }),
    keel,
    async close() {
      keel.child.kill('SIGTERM');
      await new Promise((resolve) => keel.child.once('exit', resolve));
      await connection.close();
      await temporal.stop();
      await modelServer.close();
      await database?.drop();
    },
  };
}

/** A conversation of `steps` tool steps (one cheap write_file each), then a final answer. */
export function stepScenario(name: string, steps: number, delayMs: number) {
  return {
    name,
    models: `${name}*`,
    // Counted per conversation, not by turn: once Keel cuts a long context to its window, the
    // request no longer holds every earlier assistant message. Summary requests get a summary.
    rules: [
      { promptIncludes: 'Summarise', reply: { text: 'The agent wrote bench.txt once per step.' } },
      { times: steps, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'bench.txt', content: 'step {{turn}}' } }], delayMs } },
      { reply: { text: `Done after ${steps} steps.`, delayMs } },
    ],
  };
}

/** As users' runs go: each step writes a new file, so the workspace grows by one file a step. */
export function userStepScenario(name: string, steps: number, delayMs: number) {
  return {
    name,
    models: `${name}*`,
    rules: [
      { promptIncludes: 'Summarise', reply: { text: 'The agent wrote one file per step.' } },
      { times: steps, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'step-{{turn}}.txt', content: 'step {{turn}}' } }], delayMs } },
      { reply: { text: `Done after ${steps} steps.`, delayMs } },
    ],
  };
}
