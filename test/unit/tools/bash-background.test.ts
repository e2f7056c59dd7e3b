import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bashKillTool, bashOutputTool, bashTool } from '../../../tools';
import { isSleepRunning, uniqueSleepSeconds, waitFor } from './process-check';
import { createContext, createSandbox, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());

async function startBackground(command: string): Promise<string> {
  const context = createContext(sandbox);
  const result = await bashTool.run({ command, background: true }, context);
  expect(result).toMatchObject({ isError: false, metadata: { jobId: context.callId, background: true, provenance: 'started' } });
  return context.callId;
}

const poll = (jobId: string, callId?: string) =>
  bashOutputTool.run({ job_id: jobId }, createContext(sandbox, callId ? { callId } : {}));

describe('background bash jobs', () => {
  it('returns at once with a job id, then bash_output returns only the new output each time', async () => {
    const started = Date.now();
    const jobId = await startBackground('echo one; while [ ! -f go ]; do sleep 0.05; done; echo two; sleep 30');
    // The job waits for `go` before it can end: any return before the test writes it is "at once".
    expect(Date.now() - started).toBeLessThan(20_000);

    let seen = '';
    await waitFor(async () => (seen += (await poll(jobId)).output).includes('one'));
    const quiet = await poll(jobId);
    expect(quiet.output).toBe(`(no new output)\n\n[job ${jobId}: still running]`);
    expect(quiet.metadata).toMatchObject({ status: 'running' });

    await writeFile(path.join(sandbox.workspace, 'go'), '');
    let later = '';
    await waitFor(async () => (later += (await poll(jobId)).output).includes('two'));
    expect(later).not.toContain('one');

    const killed = await bashKillTool.run({ job_id: jobId }, createContext(sandbox));
    expect(killed.output).toMatch(new RegExp(`^Stopped job ${jobId}: its process group was killed`));
    const after = await poll(jobId);
    expect(after.output).toContain('killed with bash_kill');
    expect(after.metadata).toMatchObject({ status: 'stopped' });
  });

  it('bash_kill kills child processes of the job too', async () => {
    const seconds = uniqueSleepSeconds();
    const jobId = await startBackground(`sleep ${seconds} & echo $! > child.pid; wait`);
    await waitFor(async () => (await readFile(path.join(sandbox.workspace, 'child.pid'), 'utf8').catch(() => '')).trim() !== '');
    expect(isSleepRunning(seconds)).toBe(true);
    await bashKillTool.run({ job_id: jobId }, createContext(sandbox));
    expect(isSleepRunning(seconds)).toBe(false);
    const again = await bashKillTool.run({ job_id: jobId }, createContext(sandbox));
    expect(again.output).toBe(`Job ${jobId} is not running (killed with bash_kill).`);
  });

  it('reports the exit code of a finished job, and bash_kill leaves it alone', async () => {
    const jobId = await startBackground('echo finished; exit 4');
    let output = '';
    await waitFor(async () => {
      const result = await poll(jobId);
      output += result.output;
      return result.metadata?.status === 'exited';
    });
    expect(output).toContain('finished');
    expect(output).toContain(`[job ${jobId}: exited with code 4]`);
    const kill = await bashKillTool.run({ job_id: jobId }, createContext(sandbox));
    expect(kill).toMatchObject({ isError: false, output: `Job ${jobId} is not running (exited with code 4).` });
  });

  it('returns the same output again when a bash_output call is retried with its call id', async () => {
    const jobId = await startBackground('echo hello');
    await waitFor(async () => (await readFile(path.join(sandbox.jobsDir, jobId, 'exit'), 'utf8').catch(() => '')) !== '');
    const first = await poll(jobId, 'call_poll_1');
    const retry = await poll(jobId, 'call_poll_1');
    const next = await poll(jobId, 'call_poll_2');
    expect(first.output).toContain('hello');
    expect(retry.output).toBe(first.output);
    expect(next.output).toMatch(/^\(no new output\)/);
  });

  it('does not start a second process when the starting call is retried', async () => {
    const context = createContext(sandbox);
    await bashTool.run({ command: 'echo x >> counter; sleep 30', background: true }, context);
    const retry = await bashTool.run({ command: 'echo x >> counter; sleep 30', background: true }, context);
    expect(retry.metadata).toMatchObject({ provenance: 'adopted' });
    await waitFor(async () => (await readFile(path.join(sandbox.workspace, 'counter'), 'utf8').catch(() => '')) !== '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await readFile(path.join(sandbox.workspace, 'counter'), 'utf8')).toBe('x\n');
    await bashKillTool.run({ job_id: context.callId }, createContext(sandbox));
  });

  it('refuses job ids that try to leave the jobs folder or name no job', async () => {
    for (const jobId of ['../outside', '..', '/etc', 'a/b', '.hidden']) {
      const result = await bashOutputTool.run({ job_id: jobId }, createContext(sandbox));
      expect(result).toMatchObject({ isError: true });
      expect(result.output).toMatch(/is not a valid job id/);
    }
    const unknown = await bashKillTool.run({ job_id: 'call_unknown' }, createContext(sandbox));
    expect(unknown).toMatchObject({ isError: true, output: 'No job with id "call_unknown" in this run; use the job_id the bash tool returned.' });
  });
});
