// A Keel worker in its own process, wired to a harness's Temporal, database, model server and
// folders, so a test can SIGKILL it like a crashed machine.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testDatabaseUrl, type Harness } from './keel-harness';

const ROOT = path.resolve(__dirname, '..', '..');

export type SpawnWorkerOptions = {
  /** Added last: chaos tests point the worker at their own proxy, Redis or Temporal. */
  environment?: Record<string, string>;
  /** `pipe` lets the test read the worker's log (waitForWorkerStarted); `inherit` by default. */
  output?: 'inherit' | 'pipe';
};

export function spawnWorker(harness: Harness, options: SpawnWorkerOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'worker', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      TEMPORAL_ADDRESS: harness.config.temporalAddress,
      KEEL_TASK_QUEUE: harness.config.taskQueue,
      KEEL_MODEL_SERVER_URL: `${harness.modelServer.url}/v1`,
      KEEL_WORKSPACE_ROOT: harness.config.workspaceRoot,
      KEEL_JOBS_ROOT: harness.config.jobsRoot,
      LOG_LEVEL: 'warn',
      ...options.environment,
    },
    stdio: ['ignore', options.output ?? 'inherit', 'inherit'],
  });
}

/** Resolves once a worker spawned with `output: 'pipe'` and LOG_LEVEL info or lower logs that it polls. */
export function waitForWorkerStarted(child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`the worker did not start within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (seen.includes('"msg":"worker started"')) finish();
    };
    const onExit = () => finish(new Error('the worker exited before it started'));
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining the pipe, or a chatty worker blocks on a full buffer.
      child.stdout?.resume();
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGKILL (no shutdown, like a crashed host) and wait for the exit; a process already gone is left alone. */
export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export const killWorker = killProcess;
