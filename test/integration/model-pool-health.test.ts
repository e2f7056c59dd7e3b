// Health checks: the worker creates the `keel-model-health` schedule, and the workflow it starts
// sends each pool model a tiny request, records latency, status and error, and closes the circuit
// of a model that has recovered.
import { ulid } from 'ulid';
import { healthScheduleId } from '../../worker/health-schedule';
import { startHarness, type Harness } from '../support/keel-harness';
import { circuitOf, poolModel, scriptPool, testPool, waitForCircuit } from '../support/model-pool-fixture';

describe('model health checks', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      pool: (server) => testPool(server, { fallback: [poolModel(server, 'gone', { inputPerMillion: 0.1, outputPerMillion: 0.1 }, { model: `unscripted-${ulid().toLowerCase()}` })] }),
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('runs on a schedule created by the worker, records each model and closes a recovered circuit', async () => {
    const schedule = harness.api.client.schedule.getHandle(healthScheduleId(harness.config.taskQueue));
    const description = await schedule.describe();
    expect(description.spec.intervals).toEqual([expect.objectContaining({ every: 1440 * 60_000 })]);
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'modelHealth', args: [{ modelIds: ['primary', 'backup', 'cheap', 'gone'] }] });

    for (let failure = 0; failure < 3; failure += 1) await harness.services.circuits.recordFailure('primary', 'HTTP 503 before the check');
    expect(await circuitOf(harness, 'primary')).toMatchObject({ state: 'open', lastHealthOk: null });
    scriptPool(harness, [{ reply: { text: 'ok' } }]);

    await schedule.trigger();
    const primary = await waitForCircuit(harness, 'primary', (circuit) => circuit.lastCheckedAt !== null, 20_000);
    expect(primary).toMatchObject({ state: 'closed', consecutiveFailures: 0, lastHealthOk: true, lastLatencyMs: expect.any(Number) });
    const gone = await waitForCircuit(harness, 'gone', (circuit) => circuit.lastCheckedAt !== null);
    expect(gone).toMatchObject({ lastHealthOk: false, lastError: expect.stringContaining('404') });
    expect(await circuitOf(harness, 'backup')).toMatchObject({ state: 'closed', lastHealthOk: true });
    const pings = harness.modelServer.requests({ model: 'pool-backup' });
    expect(pings.at(-1)?.body).toMatchObject({ max_tokens: 16, messages: [{ role: 'user', content: 'Reply with the word ok.' }] });
  });
});
