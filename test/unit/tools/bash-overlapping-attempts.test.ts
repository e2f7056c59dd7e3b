// Two attempts of one bash call can overlap: an attempt the server timed out still running beside
// its retry, or two retries of a job that vanished. The job folder is claimed atomically, so the
// command runs once and the other attempt adopts its result (the kill trial found "1 3 3 5").
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { bashTool } from '../../../tools';
import { writeJson } from '../../../tools/job-files';
import { createContext, createSandbox, nextCallId, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());

const counter = () => readFile(path.join(sandbox.workspace, 'counter.txt'), 'utf8');
const provenances = (results: Array<{ metadata?: Record<string, unknown> }>) => results.map((result) => String(result.metadata?.provenance)).sort();

describe('overlapping attempts of one bash call', () => {
  it('runs the command once when two attempts start it at the same moment, and both report its result', async () => {
    const callId = nextCallId();
    const attempt = () => bashTool.run({ command: 'echo ran >> counter.txt; sleep 1; echo done' }, createContext(sandbox, { callId }));
    const results = await Promise.all([attempt(), attempt(), attempt()]);
    expect(await counter()).toBe('ran\n');
    for (const result of results) expect(result).toMatchObject({ isError: false, metadata: { exitCode: 0 } });
    const seen = provenances(results);
    expect(seen.filter((provenance) => provenance === 'started')).toHaveLength(1);
    expect(seen.filter((provenance) => provenance !== 'started').every((provenance) => provenance === 'adopted' || provenance === 'recorded')).toBe(true);
  });

  it('runs a vanished job again exactly once when two retries find it vanished together', async () => {
    const callId = nextCallId();
    const folder = path.join(sandbox.jobsDir, callId);
    await mkdir(folder, { recursive: true });
    // Claimed by a worker process that is gone (no such pid), long ago, and never started.
    await writeJson(path.join(folder, 'job.json'), { command: 'echo ran >> counter.txt', background: false, startedAt: Date.now() - 60_000, claimant: { pid: 2 ** 22 - 3 } });
    const attempt = () => bashTool.run({ command: 'echo ran >> counter.txt; sleep 1' }, createContext(sandbox, { callId }));
    const results = await Promise.all([attempt(), attempt()]);
    expect(await counter()).toBe('ran\n');
    expect(provenances(results).filter((provenance) => provenance === 'started')).toHaveLength(1);
  });

  it('waits for a live attempt that claimed the job but has not started its process yet, instead of running it again', async () => {
    const callId = nextCallId();
    const folder = path.join(sandbox.jobsDir, callId);
    await mkdir(folder, { recursive: true });
    // Claimed just now by this (live) process, with no process yet: a retry must not start its own.
    await writeJson(path.join(folder, 'job.json'), { command: 'true', background: false, startedAt: Date.now(), claimant: { pid: process.pid } });
    const retry = bashTool.run({ command: 'echo ran >> counter.txt' }, createContext(sandbox, { callId }));
    // The claimant's job then ends with its exit code, as its wrapper would write it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await writeJson(path.join(folder, 'exit'), 0);
    const result = await retry;
    expect(result).toMatchObject({ isError: false, metadata: { provenance: 'recorded', exitCode: 0 } });
    await expect(counter()).rejects.toThrow(/ENOENT/);
  });
});
