// A run whose every model is refused by an open circuit (tripped by other runs' failures, no call
// made) waits for the circuit to cool down and completes, instead of failing on the spot; and the
// run whose own transient failures tripped it waits too.
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

describe('a step refused by open circuits on every model', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('waits for the circuit to cool down and completes the run', async () => {
    const name = `circuit-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name,
      models: `${name}*`,
      rules: [
        { promptIncludes: 'trip', fault: { status: 500, message: 'down for everyone' } },
        { reply: { text: 'Answered once the circuit closed.' } },
      ],
    });
    const start = async (message: string) => {
      const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message, model: `local/${name}`, tools: [] } });
      expect(created.status).toBe(202);
      return created.body.id as string;
    };
    // The first run's failed attempts (a round of retries, a wait, the next round) open the
    // model's circuit. Its failures are all transient (500s), so it does not fail: it waits.
    const trippingId = await start('trip the circuit');
    const tripping = await waitForRunMatching(trippingId, (run) => /circuit opened after \d+ consecutive failures|circuit open until/.test(run.live?.lastError ?? ''));
    expect(['queued', 'running']).toContain(tripping.status);
    // Cancelled now, or its half-open trials would keep the circuit open for the run below.
    expect((await api(harness.apiUrl, 'POST', `/v1/runs/${trippingId}/cancel`, { key: harness.keys.a, body: { reason: 'the model is down' } })).status).toBe(202);
    expect((await waitForRun(harness.apiUrl, harness.keys.a, trippingId, 30_000)).status).toBe('cancelled');

    const runId = await start('a healthy request once it opened');
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 120_000);
    expect(run.status).toBe('completed');
    const events = await readSse(harness.apiUrl, harness.keys.a, runId, { timeoutMs: 10_000 });
    const refused = events.filter((event) => event.event === 'model-call.failed').map((event) => event.data.data);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((failure) => failure.failureType === 'ModelCircuitOpen' && failure.called === false)).toBe(true);
    expect(events.at(-1)?.event).toBe('run.completed');
    // The first history that takes the wait-for-open-circuits branch (its timer and retry round).
    await recordHistoryIfAsked(harness.api.client, runId, 'open-circuit-wait', 'wait-for-open-circuits');

    // The first history that takes the wait-for-transient-failures branch.
    await recordHistoryIfAsked(harness.api.client, trippingId, 'transient-failure-wait', 'wait-for-transient-failures');
  }, 150_000);

  async function waitForRunMatching(runId: string, accept: (run: { status: string; live?: { lastError?: string | null } }) => boolean, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = (await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a })).body;
      if (accept(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} never matched: ${JSON.stringify(run)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});
