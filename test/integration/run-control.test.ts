// Controlling a run while it works: messages (update with acceptance), graceful cancel, the step
// limit, idempotent creation and continue-as-new carrying state.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

describe('controlling a run', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const scenarioName = (prefix: string) => `${prefix}-${ulid().toLowerCase()}`;
  const create = async (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body, headers });

  it('accepts a message while the run works and feeds it to the model at the next step', async () => {
    const name = scenarioName('msg');
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'sleep 1.5; echo waited' } }] } },
        { turn: 1, reply: { text: 'Noted your message.' } },
      ],
    });
    const created = await create({ message: `Wait a bit (${name})`, model: `local/${name}` });
    const runId = created.body.id as string;
    await readSse(harness.apiUrl, harness.keys.a, runId, { stopAfter: (event) => event.event === 'tool-call.started' });
    const sent = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/messages`, { key: harness.keys.a, body: { text: 'Also mention the weather.' } });
    expect(sent.status).toBe(202);
    expect(sent.body.accepted).toBe(true);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    const secondRequest = harness.modelServer.requests({ model: name })[1] as { body: { messages: Array<{ role: string; content: unknown }> } };
    const userTexts = secondRequest.body.messages.filter((message) => message.role === 'user').map((message) => message.content);
    expect(userTexts).toContain('Also mention the weather.');
    await recordHistoryIfAsked(harness.api.client, runId, 'user-message-mid-run');

    const late = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/messages`, { key: harness.keys.a, body: { text: 'too late' } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('run_finished');
  });

  it('cancels gracefully: the unfinished step is dropped and the run ends cancelled', async () => {
    const name = scenarioName('cancel');
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'sleep 30; touch finished.txt' } }] } },
        { reply: { text: 'should never be asked' } },
      ],
    });
    const created = await create({ message: `Sleep long (${name})`, model: `local/${name}` });
    const runId = created.body.id as string;
    await readSse(harness.apiUrl, harness.keys.a, runId, { stopAfter: (event) => event.event === 'tool-call.started' });
    const cancelled = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/cancel`, { key: harness.keys.a, body: { reason: 'changed my mind' } });
    expect(cancelled.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 20_000);
    expect(run.status).toBe('cancelled');
    expect(run.outcome).toEqual({ type: 'cancelled', reason: 'changed my mind' });
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    expect(transcript.body.messages.map((entry: { message: { type: string } }) => entry.message.type)).not.toContain('tool-result');
    expect(harness.modelServer.requests({ model: name })).toHaveLength(1);
    await recordHistoryIfAsked(harness.api.client, runId, 'cancelled-mid-tool');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'finished.txt'))).toBe(false);
  });

  it('stops with a clear outcome when the step limit is reached', async () => {
    const name = scenarioName('limit');
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [{ reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'loop.txt', content: 'turn {{turn}}' } }] } }],
    });
    const created = await create({ message: `Loop forever (${name})`, model: `local/${name}`, limits: { maxSteps: 3 } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    expect(run.status).toBe('step_limit_reached');
    expect(run.step).toBe(3);
    expect(run.outcome.message).toContain('step limit reached');
  });

  it('returns the same run for a repeated Idempotency-Key', async () => {
    const name = scenarioName('idem');
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ reply: { text: 'once' } }] });
    const key = `key-${name}`;
    const first = await create({ message: `hello (${name})`, model: `local/${name}` }, { 'idempotency-key': key });
    const second = await create({ message: `hello (${name})`, model: `local/${name}` }, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    await waitForRun(harness.apiUrl, harness.keys.a, first.body.id);
    expect(harness.modelServer.requests({ model: name })).toHaveLength(1);
  });

  it('reports live state while a run works', async () => {
    const name = scenarioName('live');
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [{ turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'sleep 2' } }] } }, { reply: { text: 'ok' } }],
    });
    const created = await create({ message: `Sleep (${name})`, model: `local/${name}` });
    const runId = created.body.id as string;
    await readSse(harness.apiUrl, harness.keys.a, runId, { stopAfter: (event) => event.event === 'tool-call.started' });
    const during = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a });
    expect(during.body.status).toBe('running');
    expect(during.body.live).toMatchObject({ status: 'running', step: 1, pendingWork: { kind: 'step', step: 1 } });
    await waitForRun(harness.apiUrl, harness.keys.a, runId);
  });
});
