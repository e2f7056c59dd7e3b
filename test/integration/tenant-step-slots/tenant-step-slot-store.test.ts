// One contract for both tenant step slot stores: the Redis store (two connections standing in for
// two workers, against a real Redis) and the in-process twin grant a tenant at most its limit of
// leases, hand a released slot on, and take back a lease nobody renews (a killed worker's).
import Redis from 'ioredis';
import { ulid } from 'ulid';
import { InProcessTenantStepSlotStore, RedisTenantStepSlotStore, type TenantStepSlotStore } from '../../../stores/tenant-step-slots';
import { TEST_REDIS_URL, hasPrerequisite } from '../../support/prerequisites';

const LEASE_MS = 30_000;
const RUN_PREFIX = `keel:step-slots:test-${ulid().toLowerCase()}:`;

type Clock = { now: () => number; advance: (milliseconds: number) => void };
type Deployment = { workers: [TenantStepSlotStore, TenantStepSlotStore]; close: () => Promise<void> };

function testClock(): Clock {
  let current = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => current, advance: (milliseconds) => void (current += milliseconds) };
}

let deployments = 0;
const ALL_DEPLOYMENTS: Array<[string, (clock: Clock) => Deployment]> = [
  ['RedisTenantStepSlotStore', (clock) => {
    const keyPrefix = `${RUN_PREFIX}${(deployments += 1)}:`;
    const first = new RedisTenantStepSlotStore(TEST_REDIS_URL, { keyPrefix, now: clock.now });
    const second = new RedisTenantStepSlotStore(TEST_REDIS_URL, { keyPrefix, now: clock.now });
    return { workers: [first, second], close: async () => void (await Promise.all([first.close(), second.close()])) };
  }],
  ['InProcessTenantStepSlotStore', (clock) => {
    const store = new InProcessTenantStepSlotStore({ now: clock.now });
    return { workers: [store, store], close: () => store.close() };
  }],
];
// Without Redis (named in the run's summary) the contract runs on the in-process twin only.
const DEPLOYMENTS = ALL_DEPLOYMENTS.filter(([name]) => name !== 'RedisTenantStepSlotStore' || hasPrerequisite('redis'));

afterAll(async () => {
  if (!hasPrerequisite('redis')) return;
  const redis = new Redis(TEST_REDIS_URL);
  const keys = await redis.keys(`${RUN_PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe.each(DEPLOYMENTS)('the %s tenant step slot contract', (_name, deploy) => {
  let clock: Clock;
  let deployment: Deployment;
  let worker: TenantStepSlotStore;
  let otherWorker: TenantStepSlotStore;

  beforeEach(() => {
    clock = testClock();
    deployment = deploy(clock);
    [worker, otherWorker] = deployment.workers;
  });
  afterEach(async () => {
    await deployment.close();
  });

  it('grants a tenant its limit of slots across workers and refuses the next, naming how many are held', async () => {
    expect(await worker.claim('acme', 'step-1', 2, LEASE_MS)).toEqual({ granted: true });
    expect(await otherWorker.claim('acme', 'step-2', 2, LEASE_MS)).toEqual({ granted: true });
    expect(await worker.claim('acme', 'step-3', 2, LEASE_MS)).toEqual({ granted: false, held: 2 });
    expect(await otherWorker.held('acme')).toBe(2);
  });

  it("keeps tenants apart: one tenant's full slots do not refuse another's steps", async () => {
    expect(await worker.claim('acme', 'step-1', 1, LEASE_MS)).toEqual({ granted: true });
    expect(await worker.claim('acme', 'step-2', 1, LEASE_MS)).toMatchObject({ granted: false });
    expect(await otherWorker.claim('globex', 'step-1', 1, LEASE_MS)).toEqual({ granted: true });
    expect(await worker.held('globex')).toBe(1);
  });

  it('hands a released slot to the next step, and a second claim by the same holder takes no second slot', async () => {
    expect(await worker.claim('acme', 'step-1', 1, LEASE_MS)).toEqual({ granted: true });
    expect(await worker.claim('acme', 'step-1', 1, LEASE_MS)).toEqual({ granted: true });
    expect(await worker.held('acme')).toBe(1);
    expect(await otherWorker.claim('acme', 'step-2', 1, LEASE_MS)).toMatchObject({ granted: false });
    await worker.release('acme', 'step-1');
    expect(await otherWorker.claim('acme', 'step-2', 1, LEASE_MS)).toEqual({ granted: true });
    await worker.release('acme', 'never-held');
    expect(await worker.held('acme')).toBe(1);
  });

  it("takes back a killed holder's slot once its lease runs out, and not before", async () => {
    expect(await worker.claim('acme', 'killed-step', 1, LEASE_MS)).toEqual({ granted: true });
    // The holder's worker dies: nobody renews or releases its lease.
    clock.advance(LEASE_MS - 1);
    expect(await otherWorker.claim('acme', 'waiting-step', 1, LEASE_MS)).toEqual({ granted: false, held: 1 });
    clock.advance(1);
    expect(await otherWorker.held('acme')).toBe(0);
    expect(await otherWorker.claim('acme', 'waiting-step', 1, LEASE_MS)).toEqual({ granted: true });
    // The dead holder's late renewal does not get its slot back.
    expect(await worker.renew('acme', 'killed-step', LEASE_MS)).toBe(false);
    expect(await worker.held('acme')).toBe(1);
  });

  it('keeps a renewed lease past its first term', async () => {
    expect(await worker.claim('acme', 'long-step', 1, LEASE_MS)).toEqual({ granted: true });
    clock.advance(LEASE_MS - 1000);
    expect(await worker.renew('acme', 'long-step', LEASE_MS)).toBe(true);
    clock.advance(LEASE_MS - 1000);
    expect(await otherWorker.claim('acme', 'other-step', 1, LEASE_MS)).toEqual({ granted: false, held: 1 });
    clock.advance(1000);
    expect(await otherWorker.claim('acme', 'other-step', 1, LEASE_MS)).toEqual({ granted: true });
  });

  it('grants exactly the limit when many steps on two workers claim at once', async () => {
    const claims = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? worker : otherWorker).claim('acme', `step-${index}`, 3, LEASE_MS)));
    expect(claims.filter((claim) => claim.granted)).toHaveLength(3);
    expect(await worker.held('acme')).toBe(3);
  });
});
