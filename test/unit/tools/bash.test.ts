import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AttemptAbandoned, bashTool, createBashTool, InvalidCallIdError } from '../../../tools';
import { writeJson } from '../../../tools/job-files';
import { isSleepRunning, uniqueSleepSeconds } from './process-check';
import { createContext, createSandbox, nextCallId, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());

describe('bash', () => {
  it('runs in the workspace and reports output and exit code', async () => {
    const result = await bashTool.run({ command: 'pwd; echo out; echo err >&2' }, createContext(sandbox));
    expect(result.isError).toBe(false);
    expect(result.output).toBe(`${sandbox.workspace}\nout\nerr\n\nExit code: 0`);
    expect(result.metadata).toMatchObject({ exitCode: 0, provenance: 'started', outputTruncated: false });
  });

  it('marks a non-zero exit as an error and keeps the output', async () => {
    const result = await bashTool.run({ command: 'echo failing; exit 3' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: true, metadata: { exitCode: 3 } });
    expect(result.output).toBe('failing\n\nExit code: 3');
  });

  it('says when there was no output', async () => {
    const result = await bashTool.run({ command: 'true' }, createContext(sandbox));
    expect(result.output).toBe('(no output)\n\nExit code: 0');
  });

  it('passes a minimal environment without the worker secrets', async () => {
    process.env.KEEL_TEST_SECRET_API_KEY = 'sk-secret';
    try {
      const result = await bashTool.run({ command: 'echo "[$KEEL_TEST_SECRET_API_KEY] $HOME"; env | cut -d= -f1 | sort | tr "\\n" " "' }, createContext(sandbox));
      expect(result.output).toContain(`[] ${sandbox.workspace}`);
      expect(result.output).not.toContain('sk-secret');
      expect(result.output).toContain('PATH');
    } finally {
      delete process.env.KEEL_TEST_SECRET_API_KEY;
    }
  });

  it('caps long output keeping the head and the tail', async () => {
    const tool = createBashTool({ outputCap: 1000 });
    const big = await tool.run({ command: 'seq 1 100000' }, createContext(sandbox));
    expect(big.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(big.output).toContain('99999\n100000\n');
    expect(big.output).toMatch(/\[\.\.\. about \d+ bytes of output omitted \.\.\.\]/);
    expect(big.output.length).toBeLessThan(1200);
    expect(big.metadata).toMatchObject({ outputTruncated: true, outputBytes: 588895 });

    const medium = await tool.run({ command: 'printf "a%.0s" $(seq 1 1500)' }, createContext(sandbox));
    expect(medium.output).toContain('[... 500 characters of output omitted ...]');
  });

  it('kills the whole process group on timeout, child processes included', async () => {
    const tool = createBashTool({ killGraceMilliseconds: 500 });
    const started = Date.now();
    const seconds = uniqueSleepSeconds();
    const result = await tool.run({ command: `sleep ${seconds} & echo $! > child.pid; echo started; wait`, timeout_seconds: 1 }, createContext(sandbox));
    // The child sleeps for weeks: returning at all proves the group was killed. The bound is loose
    // because a loaded CI machine can take seconds to spawn and reap (it failed at 6.8 s with 5 s).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result).toMatchObject({ isError: true, metadata: { timedOut: true, stopReason: 'timeout' } });
    expect(result.output).toMatch(/^Command timed out after 1 seconds; its whole process group was killed\./);
    expect(result.output).toContain('started');
    const childPid = Number(await readFile(path.join(sandbox.workspace, 'child.pid'), 'utf8'));
    expect(childPid).toBeGreaterThan(0);
    expect(isSleepRunning(seconds)).toBe(false);
  });

  it('kills the whole process group when the call is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const seconds = uniqueSleepSeconds();
    const result = await createBashTool({ killGraceMilliseconds: 500 }).run(
      { command: `sleep ${seconds} & echo $! > child.pid; wait` },
      createContext(sandbox, { signal: controller.signal }),
    );
    expect(result).toMatchObject({ isError: true, metadata: { stopReason: 'cancelled' } });
    expect(Number(await readFile(path.join(sandbox.workspace, 'child.pid'), 'utf8'))).toBeGreaterThan(0);
    expect(isSleepRunning(seconds)).toBe(false);
  });

  it('leaves the job running for the next attempt when only this attempt is abandoned, and that attempt adopts it', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new AttemptAbandoned('NOT_FOUND')), 300);
    const tool = createBashTool({ killGraceMilliseconds: 500 });
    const command = 'sleep 1; echo once >> counter; echo finished';
    const callId = nextCallId();
    await expect(tool.run({ command }, createContext(sandbox, { callId, signal: controller.signal }))).rejects.toBeInstanceOf(AttemptAbandoned);
    const adopted = await tool.run({ command }, createContext(sandbox, { callId }));
    expect(adopted).toMatchObject({ isError: false, metadata: { provenance: 'adopted', exitCode: 0 } });
    expect(adopted.output).toContain('finished');
    expect(await readFile(path.join(sandbox.workspace, 'counter'), 'utf8')).toBe('once\n');
  });

  it('reports nothing, and starts nothing, for an attempt abandoned before the command started', async () => {
    const controller = new AbortController();
    controller.abort(new AttemptAbandoned('TIMED_OUT'));
    await expect(bashTool.run({ command: 'echo ran > ran.txt' }, createContext(sandbox, { signal: controller.signal }))).rejects.toBeInstanceOf(AttemptAbandoned);
    await expect(readFile(path.join(sandbox.workspace, 'ran.txt'), 'utf8')).rejects.toThrow();
  });

  it('heartbeats about once a second while it waits', async () => {
    let heartbeats = 0;
    await bashTool.run({ command: 'sleep 2.3' }, createContext(sandbox, { heartbeat: () => (heartbeats += 1) }));
    expect(heartbeats).toBeGreaterThanOrEqual(2);
    expect(heartbeats).toBeLessThanOrEqual(4);
  });

  it('returns the recorded result without running again when re-run with the same call id', async () => {
    const context = createContext(sandbox);
    const first = await bashTool.run({ command: 'echo x >> counter; echo done' }, context);
    const second = await bashTool.run({ command: 'echo x >> counter; echo done' }, context);
    expect(second.output).toBe(first.output);
    expect(second.metadata).toMatchObject({ provenance: 'recorded', exitCode: 0 });
    expect(await readFile(path.join(sandbox.workspace, 'counter'), 'utf8')).toBe('x\n');
  });

  it('runs again when the recorded process is gone without an exit code', async () => {
    const context = createContext(sandbox);
    const folder = path.join(sandbox.jobsDir, context.callId);
    await mkdir(folder);
    await writeJson(path.join(folder, 'job.json'), { command: 'echo x >> counter', background: false, startedAt: Date.now() - 1000 });
    // A live pid with another start time: a different process that reused the number.
    await writeJson(path.join(folder, 'process.json'), { pid: process.pid, processGroupId: process.pid, startTicks: 1 });
    const result = await bashTool.run({ command: 'echo x >> counter' }, context);
    expect(result.metadata).toMatchObject({ provenance: 'started', exitCode: 0 });
    expect(await readFile(path.join(sandbox.workspace, 'counter'), 'utf8')).toBe('x\n');
  });

  it('throws for a call id that cannot name a job folder', async () => {
    await expect(bashTool.run({ command: 'true' }, createContext(sandbox, { callId: '../escape' }))).rejects.toBeInstanceOf(InvalidCallIdError);
  });

  it('is not confused by a command that writes a file named exit in the workspace', async () => {
    await writeFile(path.join(sandbox.workspace, 'exit'), '7');
    const result = await bashTool.run({ command: 'echo 9 > exit; exit 0' }, createContext(sandbox));
    expect(result.metadata).toMatchObject({ exitCode: 0 });
  });
});
