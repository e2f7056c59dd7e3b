// A Keel worker in its own process, wired to a harness's Temporal, database, model server and
// folders, so a test can SIGKILL it like a crashed machine.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testDatabaseUrl, type Harness } from './keel-harness';

const ROOT = path.resolve(__dirname, '..', '..');

export function spawnWorker(harness: Harness): ChildProcess {
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
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

export async function killWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
