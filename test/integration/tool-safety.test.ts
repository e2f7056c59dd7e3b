// Every tool call is judged before it runs: a critical one (here `rm -rf /`) is refused with the
// reason and never executed, and the model gets the refusal as the tool's result.
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

describe('tool-call validation in a run', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a critical command, tells the model why, and runs the benign one after it', async () => {
    const name = `safety-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'cd / && rm -rf --no-preserve-root /' } }] } },
        { turn: 1, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo safe > safe.txt' } }] } },
        { reply: { text: 'I used a safe command instead.' } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Clean up (${name})`, model: `local/${name}` } });
    const runId = created.body.id as string;
    // A file the destructive command would have taken with it if it had run.
    const canary = path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'canary.txt');
    mkdirSync(path.dirname(canary), { recursive: true });
    writeFileSync(canary, 'still here');

    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const results = transcript.body.messages.filter((entry: { message: { type: string } }) => entry.message.type === 'tool-result');
    expect(results[0].message.isError).toBe(true);
    expect(results[0].message.output).toMatch(/refused by Keel's safety policy \(critical risk\)/);
    expect(results[1].message.isError).toBe(false);
    expect(existsSync(canary)).toBe(true);
    expect(existsSync(path.join(path.dirname(canary), 'safe.txt'))).toBe(true);

    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    const finished = events.filter((event) => event.event === 'tool-call.finished');
    expect(finished[0]?.data.data.safety).toMatchObject({ verdict: 'deny', risk: 'critical' });
    expect(finished[1]?.data.data.safety).toBeUndefined();
  });
});
