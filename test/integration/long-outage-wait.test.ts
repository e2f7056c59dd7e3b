// A model down for longer than the first rounds of waiting (nine of 10 s): the step keeps waiting in
// longer rounds (patch longer-outage-waits) and the run completes once the model is back.
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

/** Past the first rounds (9 x 10 s plus the attempts) and into the longer ones. */
const OUTAGE_MS = 125_000;

describe('a model down for over two minutes', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('keeps the run waiting in longer rounds and completes it once the model is back', async () => {
    const name = `outage-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ fault: { status: 503, message: 'down for maintenance' } }] });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Say hello when you can.', model: `local/${name}`, tools: [] } });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;

    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const during = (await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a })).body;
    expect(['queued', 'running']).toContain(during.status);
    harness.modelServer.removeScenario(name);
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ reply: { text: 'Hello, now that I am back.' } }] });

    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 90_000);
    expect(run.status).toBe('completed');
    const history = await harness.api.client.workflow.getHandle(runId).fetchHistory();
    const timers = (history.events ?? []).filter((event) => event.timerStartedEventAttributes).map((event) => event.timerStartedEventAttributes?.startToFireTimeout?.seconds?.toString());
    expect(timers.filter((seconds) => seconds === '10')).toHaveLength(9);
    expect(timers.filter((seconds) => seconds === '15').length).toBeGreaterThan(0);
    await recordHistoryIfAsked(harness.api.client, runId, 'long-outage-wait', 'longer-outage-waits');
  }, 300_000);
});
