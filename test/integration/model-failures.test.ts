// Provider failures through the whole path: retryable errors are retried durably, auth errors fail
// the run fast with a message naming the model and the cause, and fallback moves to the next model.
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

describe('model failures during a run', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function startRun(model: string | string[], message: string) {
    const body = Array.isArray(model) ? { message, models: model } : { message, model };
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body });
    expect(created.status).toBe(202);
    return created.body.id as string;
  }

  it('completes when the model answers 500 twice and then succeeds', async () => {
    const name = `flaky-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [{ turn: 0, times: 2, fault: { status: 500, message: 'upstream exploded' } }, { reply: { text: 'Recovered.' } }],
    });
    const runId = await startRun(`local/${name}`, `Say something (${name})`);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    expect(run.outcome.answer).toBe('Recovered.');
    expect(harness.modelServer.requests({ model: name }).length).toBe(3);
    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    const failures = events.filter((event) => event.event === 'model-call.failed');
    expect(failures).toHaveLength(2);
    expect(failures[0]?.data.data.failureType).toBe('ModelUnavailable');
  });

  it('fails fast with an error naming the model and the cause when the provider answers 401', async () => {
    const name = `denied-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [{ fault: { status: 401, message: 'invalid x-api-key' } }],
    });
    const started = Date.now();
    const runId = await startRun(`local/${name}`, `Say something (${name})`);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('failed');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(harness.modelServer.requests({ model: name }).length).toBe(1);
    expect(run.outcome.error).toContain(`local/${name}`);
    expect(run.outcome.error).toContain('ModelAuthFailed');
    expect(run.outcome.error).toMatch(/401/);
    expect(run.lastError).toBe(run.outcome.error);
    await recordHistoryIfAsked(harness.api.client, runId, 'failed-auth');
  });

  it('falls back to the next model when the first one keeps failing', async () => {
    const name = `fallback-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [{ model: `${name}-primary`, fault: { status: 403, message: 'no access' } }, { reply: { text: 'Backup here.' } }],
    });
    const runId = await startRun([`local/${name}-primary`, `local/${name}-backup`], `Say something (${name})`);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    expect(run.outcome.answer).toBe('Backup here.');
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    expect(transcript.body.messages.at(-1).message.model).toBe(`local/${name}-backup`);
    await recordHistoryIfAsked(harness.api.client, runId, 'fallback-after-auth-failure');
  });
});
