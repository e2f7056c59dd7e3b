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

/** Starts the bash tool in a separate worker process, then SIGKILLs that process `killAfterMilliseconds` after the job started. */
async function startThenKillWorker(callId: string, command: string, timeoutSeconds?: number, killAfterMilliseconds = 500): Promise<number> {
  const input = JSON.stringify({ workspace: sandbox.workspace, jobsDir: sandbox.jobsDir, callId, command, timeoutSeconds });
  const worker = spawn(process.execPath, ['--import', 'tsx', fixture, input], { cwd: path.resolve(__dirname, '../../..'), detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const pidFile = path.join(sandbox.jobsDir, callId, 'pid');
  await waitFor(async () => (await readFile(pidFile, 'utf8').catch(() => '')).trim() !== '', 30_000);
  await new Promise((resolve) => setTimeout(resolve, killAfterMilliseconds));
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
    // Killed 2 s into its 4 s: the adopting retry has about 2 s of the deadline left.
    await startThenKillWorker(context.callId, 'sleep 30', 4, 2000);
    const folder = path.join(sandbox.jobsDir, context.callId);
    const job = JSON.parse(await readFile(path.join(folder, 'job.json'), 'utf8')) as { startedAt: number; deadline: number };
    expect(job.deadline).toBe(job.startedAt + 4000);
    const adoptedAt = Date.now();
    const result = await createBashTool({ killGraceMilliseconds: 500 }).run({ command: 'sleep 30', timeout_seconds: 4 }, context);
    expect(result).toMatchObject({ isError: true, metadata: { provenance: 'adopted', timedOut: true } });
    // When the retry decided to stop the job (recorded before the kill, so the kill's own time under
    // load does not count): at the original deadline, not 4 s after the adoption.
    const stopped = JSON.parse(await readFile(path.join(folder, 'stopped.json'), 'utf8')) as { reason: string; at: number };
    expect(stopped.reason).toBe('timeout');
    expect(stopped.at).toBeGreaterThanOrEqual(job.deadline);
    expect(stopped.at).toBeLessThan(adoptedAt + 4000);
  });

});
