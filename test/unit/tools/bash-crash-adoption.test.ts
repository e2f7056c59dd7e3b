import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bashTool, createBashTool } from '../../../tools';
import { isAlive, waitFor } from './process-check';
import { createContext, createSandbox, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());

const fixture = path.join(__dirname, 'fixtures', 'start-bash-job.ts');

/** Starts the bash tool in a separate worker process, then SIGKILLs that process 500 ms after the job started. */
async function startThenKillWorker(callId: string, command: string, timeoutSeconds?: number): Promise<number> {
  const input = JSON.stringify({ workspace: sandbox.workspace, jobsDir: sandbox.jobsDir, callId, command, timeoutSeconds });
  const worker = spawn(process.execPath, ['--import', 'tsx', fixture, input], { cwd: path.resolve(__dirname, '../../..'), detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const pidFile = path.join(sandbox.jobsDir, callId, 'pid');
  await waitFor(async () => (await readFile(pidFile, 'utf8').catch(() => '')).trim() !== '', 30_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.kill(-(worker.pid as number), 'SIGKILL');
  await exited;
  return Number(await readFile(pidFile, 'utf8'));
}

describe('bash after the worker crashes', () => {
  it('adopts the still-running job on retry, and a second retry returns the recorded result; the command runs once', async () => {
    const context = createContext(sandbox);
    const jobPid = await startThenKillWorker(context.callId, 'sleep 2; echo x >> counter; echo done');
    expect(isAlive(jobPid)).toBe(true); // the job outlived its worker

    const adopted = await bashTool.run({ command: 'sleep 2; echo x >> counter; echo done' }, context);
    expect(adopted).toMatchObject({ isError: false, metadata: { provenance: 'adopted', exitCode: 0 } });
    expect(adopted.output).toBe('done\n\nExit code: 0');
    expect(await readFile(path.join(sandbox.workspace, 'counter'), 'utf8')).toBe('x\n');

    const recorded = await bashTool.run({ command: 'sleep 2; echo x >> counter; echo done' }, context);
    expect(recorded).toMatchObject({ isError: false, output: adopted.output, metadata: { provenance: 'recorded' } });
    expect(await readFile(path.join(sandbox.workspace, 'counter'), 'utf8')).toBe('x\n');
  });

  it('keeps the original deadline when it adopts a job', async () => {
    const context = createContext(sandbox);
    await startThenKillWorker(context.callId, 'sleep 30', 3);
    const job = JSON.parse(await readFile(path.join(sandbox.jobsDir, context.callId, 'job.json'), 'utf8')) as { startedAt: number };
    const result = await createBashTool({ killGraceMilliseconds: 500 }).run({ command: 'sleep 30', timeout_seconds: 3 }, context);
    expect(result).toMatchObject({ isError: true, metadata: { provenance: 'adopted', timedOut: true } });
    const elapsedSinceStart = Date.now() - job.startedAt;
    expect(elapsedSinceStart).toBeGreaterThanOrEqual(3000);
    expect(elapsedSinceStart).toBeLessThan(5000);
  });
});
