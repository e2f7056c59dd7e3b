// The `keel` CLI run as a child process (bin/keel.js, as `npx keel` runs it) against a real Keel from
// the harness: one-shot runs with streamed progress and exit codes, agents applied from YAML, runs
// and reviews listed, shown, cancelled and decided, runs forked, and API errors as one line with their code.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { stringify as toYaml } from 'yaml';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const CLI = path.join(__dirname, '..', '..', 'bin', 'keel.js');
const CLI_TIMEOUT_MS = 90_000;
const REVIEW_EVERYTHING = { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false };

type CliResult = { code: number | null; stdout: string; stderr: string };

describe('the keel CLI against a real Keel', () => {
  let harness: Harness;
  let home: string;
  let model: string;
  const marker = `KEEL-CLI-AGENT-${ulid()}`;

  beforeAll(async () => {
    harness = await startHarness();
    home = mkdtempSync(path.join(os.tmpdir(), 'keel-cli-'));
    model = `cli-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: model,
      models: `${model}*`,
      rules: [
        { systemIncludes: marker, reply: { text: 'Answered as the saved agent.' } },
        { promptIncludes: 'loop forever', reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'loop.txt', content: 'again\n' } }] } },
        { promptIncludes: 'needs review', turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'reviewed.txt', content: 'ok\n' } }] } },
        { turn: 0, reply: { text: 'Writing it down.', toolCalls: [{ name: 'write_file', arguments: { path: 'cli.txt', content: 'from the cli\n' } }] } },
        { reply: { text: 'All written: cli.txt.' } },
      ],
    } as never);
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  /** Runs the CLI without blocking this process, which serves the API it talks to. */
  function keel(args: string[], environment: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: home, KEEL_URL: harness.apiUrl, KEEL_API_KEY: harness.keys.a, ...environment },
        cwd: home,
        timeout: CLI_TIMEOUT_MS,
      }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
    });
  }

  function agentFile(definition: Record<string, unknown>): string {
    const file = path.join(home, `agent-${ulid()}.yaml`);
    writeFileSync(file, toYaml(definition));
    return file;
  }

  it('runs a task in one shot: progress and tool calls on stderr, the answer on stdout, exit 0', async () => {
    const result = await keel(['run', 'Write a note', '--model', `local/${model}`]);
    expect(result).toMatchObject({ code: 0, stdout: 'All written: cli.txt.\n' });
    expect(result.stderr).toMatch(/^run run_[0-9A-Z]{26}\n/);
    expect(result.stderr).toContain('Writing it down.');
    expect(result.stderr).toContain('→ write_file {"path":"cli.txt","content":"from the cli\\n"}');
    expect(result.stderr).toMatch(/✓ write_file/);
    const runId = /run (run_[0-9A-Z]{26})/.exec(result.stderr)?.[1];
    const run = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a });
    expect(run.body).toMatchObject({ status: 'completed', model: `local/${model}` });

    const quiet = await keel(['run', 'Write a note', '--model', `local/${model}`, '--quiet']);
    expect(quiet).toEqual({ code: 0, stdout: 'All written: cli.txt.\n', stderr: '' });
  }, 120_000);

  it('applies an agent from YAML (create, then a new version), lists it and runs it by name', async () => {
    const name = `cli-agent-${ulid().toLowerCase()}`;
    const file = agentFile({ name, description: 'From the CLI', instructions: `Be the saved agent. ${marker}`, model: `local/${model}` });
    expect(await keel(['agents', 'apply', '-f', file])).toMatchObject({ code: 0, stdout: `created ${name}@1\n` });
    expect(await keel(['agents', 'apply', '-f', file])).toMatchObject({ code: 0, stdout: `updated ${name}@2\n` });
    const listed = await keel(['agents', 'ls']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${name}\\s+2\\s+From the CLI`, 'm'));

    const run = await keel(['run', 'Who are you?', '--agent', name]);
    expect(run).toMatchObject({ code: 0, stdout: 'Answered as the saved agent.\n' });
    expect(run.stderr).toContain(`(agent ${name}@2)`);

    const broken = await keel(['agents', 'apply', '-f', agentFile({ name, model: 'local-nope/none' })]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toMatch(/^error unknown_model \(HTTP 400\): unknown model "local-nope\/none".*\n$/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    const nameless = await keel(['agents', 'apply', '-f', agentFile({ instructions: 'no name' })]);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toMatch(/^error agent_file: .*needs a "name"/);
  }, 120_000);

  it('exits 1 when the run does not complete (its step limit)', async () => {
    const name = `cli-looper-${ulid().toLowerCase()}`;
    expect((await keel(['agents', 'apply', '-f', agentFile({ name, model: `local/${model}`, limits: { maxSteps: 2 } })])).code).toBe(0);
    const result = await keel(['run', 'loop forever', '--agent', name]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('→ write_file {"path":"loop.txt","content":"again\\n"}');
    expect(result.stderr).toMatch(/ended step_limit_reached/);
  }, 120_000);

  it('lists, shows and cancels runs, and prints API errors as one line with the code', async () => {
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'needs review', model: `local/${model}`, policy: REVIEW_EVERYTHING } });
    expect(started.status).toBe(202);
    const runId = started.body.id as string;
    await waitForReview(harness.apiUrl, harness.keys.a, runId);

    const listed = await keel(['runs', 'ls']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${runId}\\s+awaiting_review\\s`, 'm'));
    const shown = await keel(['runs', 'show', runId]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: runId, status: 'awaiting_review' });

    expect(await keel(['runs', 'cancel', runId, '--reason', 'from the test'])).toMatchObject({ code: 0, stdout: `cancelling ${runId}\n` });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('cancelled');
    const again = await keel(['runs', 'cancel', runId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error run_finished (HTTP 409): run ${runId} is cancelled\n`);

    const unknown = `run_${ulid()}`;
    expect(await keel(['runs', 'show', unknown])).toEqual({ code: 1, stdout: '', stderr: `error not_found (HTTP 404): run ${unknown} not found\n` });
    // Another tenant's run is as unknown as a run nobody has.
    expect(await keel(['runs', 'show', runId], { KEEL_API_KEY: harness.keys.b })).toEqual({ code: 1, stdout: '', stderr: `error not_found (HTTP 404): run ${runId} not found\n` });
    const badKey = await keel(['runs', 'ls'], { KEEL_API_KEY: 'keel_not_a_key' });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/^error \w+ \(HTTP 401\): .+\n$/);
  }, 120_000);

  it("forks a run from a step: the new run's id on stdout, its origin on stderr, usage and API errors with their exit codes", async () => {
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Write a note to fork', model: `local/${model}`, stream: false } });
    const parent = await waitForRun(harness.apiUrl, harness.keys.a, started.body.id);
    expect(parent).toMatchObject({ status: 'completed', step: 2 });

    const forked = await keel(['runs', 'fork', parent.id, '--from-step', '1', '--message', 'Write it once more']);
    expect(forked.code).toBe(0);
    expect(forked.stdout).toMatch(/^run_[0-9A-Z]{26}\n$/);
    const forkId = forked.stdout.trim();
    expect(forked.stderr).toBe(`forked ${parent.id} from step 1: ${forkId} (queued)\n`);
    const fork = await waitForRun(harness.apiUrl, harness.keys.a, forkId);
    expect(fork).toMatchObject({ status: 'completed', parentRunId: parent.id, forkedFromStep: 1, step: 2, outcome: { answer: 'All written: cli.txt.' } });
    const messages = await api(harness.apiUrl, 'GET', `/v1/runs/${forkId}/messages`, { key: harness.keys.a });
    expect(messages.body.messages.map((entry: any) => entry.message.text).filter(Boolean)).toEqual(expect.arrayContaining(['Write a note to fork', 'Write it once more']));

    const notAStep = await keel(['runs', 'fork', parent.id, '--from-step', 'two']);
    expect(notAStep.code).toBe(2);
    expect(notAStep.stderr).toContain('must be a step number');
    const beyond = await keel(['runs', 'fork', parent.id, '--from-step', '9', '--message', 'too far']);
    expect(beyond).toMatchObject({ code: 1, stdout: '' });
    expect(beyond.stderr).toMatch(/^error step_out_of_range \(HTTP 400\): run run_[0-9A-Z]{26} has no step 9; its complete steps are 1 to 2\n$/);
  }, 120_000);

  it('follows a run through a review approved from another terminal, reading the config file', async () => {
    const name = `cli-reviewed-${ulid().toLowerCase()}`;
    expect((await keel(['agents', 'apply', '-f', agentFile({ name, model: `local/${model}`, policy: REVIEW_EVERYTHING })])).code).toBe(0);
    // The config file instead of the environment.
    const configHome = mkdtempSync(path.join(os.tmpdir(), 'keel-cli-config-'));
    const configFile = path.join(configHome, '.config', 'keel', 'config.json');
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, JSON.stringify({ url: harness.apiUrl, apiKey: harness.keys.a }));
    const fromFile = { HOME: configHome, KEEL_URL: '', KEEL_API_KEY: '' };

    let stderr = '';
    let stdout = '';
    const child = spawn(process.execPath, [CLI, 'run', 'needs review', '--agent', name], { env: { PATH: process.env.PATH ?? '', ...fromFile }, cwd: home });
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/waiting for review (rev_[0-9A-Z]{26})/.test(stderr)) {
        if (Date.now() > deadline) throw new Error(`no review line: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const reviewId = /waiting for review (rev_[0-9A-Z]{26})/.exec(stderr)?.[1] ?? '';
      const pending = await keel(['reviews', 'ls'], fromFile);
      expect(pending.code).toBe(0);
      expect(pending.stdout).toMatch(new RegExp(`^${reviewId}\\s+run_[0-9A-Z]{26}\\s+tool-call\\s+pending\\s`, 'm'));
      expect(await keel(['reviews', 'approve', reviewId, '--reason', 'looks fine'], fromFile)).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^${reviewId} approved`)) });
      expect(await exited).toBe(0);
      expect(stdout).toBe('All written: cli.txt.\n');
      expect(stderr).toContain(`▶ review ${reviewId}: approve by user-a`);
      const decided = await keel(['reviews', 'reject', reviewId], fromFile);
      expect(decided.code).toBe(1);
      expect(decided.stderr).toMatch(/^error \w+ \(HTTP 409\): /);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
