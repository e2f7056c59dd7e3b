// `keel history download` and `keel replay` as a user runs them: a finished run's workflow history
// comes over GET /v1/runs/:id/history, replays cleanly against the current workflow code, and a
// history altered where the code would act differently is reported as nondeterminism (exit 1).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const CLI = path.join(__dirname, '..', '..', 'bin', 'keel.js');

type CliResult = { code: number | null; stdout: string; stderr: string };

describe('keel history download and keel replay', () => {
  let harness: Harness;
  const home = mkdtempSync(path.join(os.tmpdir(), 'keel-replay-'));

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  function keel(args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: home, KEEL_URL: harness.apiUrl, KEEL_API_KEY: harness.keys.a, ...(process.env.KEEL_TEST_WORKFLOW_BUNDLE && { KEEL_WORKFLOW_BUNDLE: process.env.KEEL_TEST_WORKFLOW_BUNDLE }) },
        cwd: home,
        timeout: 120_000,
      }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
    });
  }

  it('downloads a run\'s history, replays it, and reports an altered one as nondeterministic', async () => {
    const model = `replay-${ulid().toLowerCase()}`;
    // A slow model: the step outlasts its local attempt and continues as a regular runStep activity.
    harness.modelServer.addScenario({
      name: model, models: `${model}*`,
      rules: [
        { turn: 0, reply: { delayMs: 1500, toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a\n' } }] } },
        { reply: { text: 'Done.' } },
      ],
    } as never);
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Write a.txt', model: `local/${model}`, tools: ['write_file'] } });
    const runId = started.body.id as string;
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId, 90_000)).status).toBe('completed');

    const file = path.join(home, `${runId}.json`);
    const downloaded = await keel(['history', 'download', runId, '-o', file]);
    expect(downloaded.code).toBe(0);
    const history = JSON.parse(readFileSync(file, 'utf8')) as { events: Array<Record<string, any>> };
    expect(history.events[0]).toHaveProperty('workflowExecutionStartedEventAttributes');
    expect(downloaded.stderr).toBe(`wrote ${history.events.length} events of ${runId} to ${file}\n`);
    expect(history.events.at(-1)).toHaveProperty('workflowExecutionCompletedEventAttributes');

    const replayed = await keel(['replay', file]);
    expect(replayed).toMatchObject({ code: 0, stdout: `ok: ${history.events.length} events replayed deterministically\n` });

    const scheduled = history.events.find((event) => event.activityTaskScheduledEventAttributes);
    expect(scheduled?.activityTaskScheduledEventAttributes.activityType.name).toBe('runStep');
    scheduled!.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
    const altered = path.join(home, 'altered.json');
    writeFileSync(altered, JSON.stringify(history));
    const broken = await keel(['replay', altered]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^nondeterminism: /);

    expect(await keel(['replay', path.join(home, 'missing.json')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error history_file: /) });
    const other = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/history`, { key: harness.keys.b });
    expect(other.status).toBe(404);
  }, 240_000);
});
