// `keel experiments` run as a child process (bin/keel.js) against a real Keel: the list, a report
// over real runs with its intervals and p-values, stopping with a winner, and errors as one line.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { TenantsRepository } from '../../stores/tenants-repository';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const CLI = path.join(__dirname, '..', '..', 'bin', 'keel.js');
const CLI_TIMEOUT_MS = 90_000;

type CliResult = { code: number | null; stdout: string; stderr: string };

describe('keel experiments against a real Keel', () => {
  let harness: Harness;
  let home: string;
  let adminKey: string;
  let experimentId: string;

  beforeAll(async () => {
    harness = await startHarness();
    home = mkdtempSync(path.join(os.tmpdir(), 'keel-experiments-cli-'));
    adminKey = (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'cli-admin', name: 'admin', role: 'admin' })).key;
    const model = `cli-exp-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name: model, models: model, rules: [{ reply: { text: 'Done.' } }] } as never);
    const agent = `agent-${ulid().toLowerCase()}`;
    expect((await api(harness.apiUrl, 'POST', '/v1/agents', { key: adminKey, body: { name: agent, model: `local/${model}`, tools: [], policy: { outcomePrediction: false } } })).status).toBe(201);
    const created = await api(harness.apiUrl, 'POST', '/v1/experiments', {
      key: adminKey, body: { name: 'cli prompts', agent, arms: [{ name: 'control', weight: 1 }, { name: 'terse', weight: 1, overrides: { instructions: 'Be terse.' } }] },
    });
    expect(created.status).toBe(201);
    experimentId = created.body.id;
    // The harness's member key runs the agent twice: both runs land on that user's one arm.
    for (const message of ['first', 'second']) {
      const run = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { agent, message } });
      expect(run.status).toBe(202);
      await waitForRun(harness.apiUrl, harness.keys.a, run.body.id, 300_000);
    }
  }, 600_000);
  afterAll(async () => {
    await harness?.close();
  });

  function keel(args: string[], key = adminKey): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: home, KEEL_URL: harness.apiUrl, KEEL_API_KEY: key },
        cwd: home,
        timeout: CLI_TIMEOUT_MS,
      }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
    });
  }

  it('lists experiments and prints a report with n, estimates, intervals and the test against the first arm', async () => {
    const listed = await keel(['experiments', 'ls']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${experimentId}\\s+cli prompts\\s+agent-\\S+\\s+running\\s+control:1,terse:1`));

    const report = await keel(['experiments', 'report', experimentId], harness.keys.a);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`cli prompts (${experimentId})`);
    const arm = (await api(harness.apiUrl, 'GET', `/v1/runs?limit=1`, { key: harness.keys.a })).body.runs[0].experiment.arm as string;
    const other = arm === 'control' ? 'terse' : 'control';
    expect(report.stdout).toContain(`${arm} 2/2 finished`);
    expect(report.stdout).toContain(`${other} 0/0 finished`);
    // Two of two completed: Wilson's interval for 2/2 is 34.2% - 100%.
    expect(report.stdout).toMatch(new RegExp(`Completion rate\\s+${arm}\\s+2\\s+100\\.0%\\s+34\\.2% - 100\\.0%`));
    expect(report.stdout).toMatch(new RegExp(`Completion rate\\s+${other}\\s+0\\s+-\\s+-`));
    expect(report.stdout).toMatch(/Eval score\s+control\s+0\s+-/);
  });

  it('stops an experiment with a winner, and prints refusals as one line with the code', async () => {
    const badId = await keel(['experiments', 'report', 'not-an-id']);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toBe('error usage: not an experiment id: not-an-id (exp_ followed by 26 characters)\n');
    const member = await keel(['experiments', 'stop', experimentId, '--winner', 'terse'], harness.keys.a);
    expect(member.code).toBe(1);
    expect(member.stderr).toMatch(/^error permission_denied \(HTTP 403\): .*experiments:write/);
    const unknownArm = await keel(['experiments', 'stop', experimentId, '--winner', 'nobody']);
    expect(unknownArm.stderr).toMatch(/^error unknown_arm \(HTTP 400\): experiment exp_\w+ has no arm "nobody"\n$/);

    const stopped = await keel(['experiments', 'stop', experimentId, '--winner', 'terse']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/^stopped exp_\w+: every new run of agent-\S+ gets terse\n$/);
    expect((await keel(['experiments', 'ls'])).stdout).toMatch(new RegExp(`${experimentId}.*stopped.*terse`));
    const again = await keel(['experiments', 'stop', experimentId, '--winner', 'control']);
    expect(again.stderr).toMatch(/^error experiment_stopped \(HTTP 409\)/);
  });
});
