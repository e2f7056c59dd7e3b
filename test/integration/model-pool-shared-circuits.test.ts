// Circuit state is shared through Redis: failures seen by one worker open the circuit for another
// worker on the same task queue, with its own connection, which then skips the model without
// calling it.
import Redis from 'ioredis';
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { requestsFor, scriptPool, testPool } from '../support/model-pool-fixture';
import { TEST_REDIS_URL, describeWith } from '../support/prerequisites';

const REDIS_URL = TEST_REDIS_URL;
const KEY_PREFIX = `keel:circuit:test-shared-${ulid().toLowerCase()}:`;

// Skipped without Redis (named in the run's summary): the in-process twin cannot span two workers.
describeWith('redis')('circuit state shared by two workers through Redis', () => {
  let harness: Harness;

  beforeAll(async () => {
    // A cooldown far longer than the test: the circuit must still be open after a worker stops and
    // another starts, which took longer than the fixture's 3 s on a loaded CI machine.
    harness = await startHarness({ pool: (server) => testPool(server, { cooldownSeconds: 300 }), redisUrl: REDIS_URL, circuitKeyPrefix: KEY_PREFIX });
  });
  afterAll(async () => {
    await harness?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${KEY_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const startRun = async (label: string) => {
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Design it (${label} ${ulid()})`, complexity: 'complex' } });
    expect(created.status).toBe(202);
    return created.body.id as string;
  };

  it('opens the circuit on one worker and the other worker skips the model without calling it', async () => {
    scriptPool(harness, [{ model: 'pool-primary', fault: { status: 503, message: 'primary overloaded' } }, { reply: { text: 'Backup answer.' } }]);
    const first = await startRun('worker-a');
    expect((await waitForRun(harness.apiUrl, harness.keys.a, first)).outcome.answer).toBe('Backup answer.');
    expect(requestsFor(harness, 'primary')).toHaveLength(3);

    // Worker A leaves; worker B (its own Redis connection and circuit store) takes the queue.
    await harness.worker?.stop();
    const other = await harness.startSecondWorker();
    expect(await other.services.circuits.snapshot('primary')).toMatchObject({ state: 'open', consecutiveFailures: 3, lastError: expect.stringContaining('primary overloaded') });

    const second = await startRun('worker-b');
    expect((await waitForRun(harness.apiUrl, harness.keys.a, second)).outcome.answer).toBe('Backup answer.');
    expect(requestsFor(harness, 'primary')).toHaveLength(3);
    const selected = (await readSse(harness.apiUrl, harness.keys.a, second)).find((event) => event.event === 'model.selected')?.data.data;
    expect(selected.skipped).toEqual([{ modelId: 'primary', tier: 'primary', reason: 'circuit open' }]);
  });
});
