// One contract for both circuit-breaker stores: the Redis store (two connections standing in for two
// workers, against a real Redis) and the in-process twin must open, block, trial and close alike.
import { HEALTH_HISTORY_LENGTH } from '../../../core/model-pool';
import type { CircuitBreakerStore } from '../../../stores/circuit-breaker';
import { DEPLOYMENTS, deleteTestKeys, testClock, type Deployment, type TestClock } from './circuit-breaker-deployments';

const COOLDOWN_MS = 30_000;
const LEASE_MS = 10_000;

afterAll(deleteTestKeys);

describe.each(DEPLOYMENTS)('the %s circuit-breaker contract', (_name, deploy) => {
  let clock: TestClock;
  let deployment: Deployment;
  let store: CircuitBreakerStore;
  let otherWorker: CircuitBreakerStore;

  beforeEach(() => {
    clock = testClock();
    deployment = deploy({ failureThreshold: 3, cooldownSeconds: COOLDOWN_MS / 1000, trialLeaseSeconds: LEASE_MS / 1000, now: clock.now });
    [store, otherWorker] = deployment.workers;
  });
  afterEach(async () => {
    await deployment.close();
  });

  async function openCircuit(modelId: string): Promise<void> {
    for (let failure = 0; failure < 3; failure += 1) await store.recordFailure(modelId, 'HTTP 503');
  }

  it('reads an unknown model as closed and lets calls through', async () => {
    expect(await store.snapshot('never-seen')).toEqual({ modelId: 'never-seen', state: 'closed', consecutiveFailures: 0 });
    expect(await store.acquire('never-seen')).toEqual({ allowed: true, state: 'closed', reason: 'circuit closed' });
  });

  it('opens after three consecutive failures until the cooldown ends', async () => {
    expect(await store.recordFailure('m', 'HTTP 500')).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
    expect(await store.recordFailure('m', 'HTTP 502')).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    const opened = await store.recordFailure('m', 'HTTP 503');
    expect(opened).toEqual({ modelId: 'm', state: 'open', consecutiveFailures: 3, openedAt: clock.now(), retryAt: clock.now() + COOLDOWN_MS, lastError: 'HTTP 503' });
    expect(await store.state('m')).toBe('open');
  });

  it('refuses calls while open and turns half-open once the cooldown has passed', async () => {
    await openCircuit('m');
    const refused = await store.acquire('m');
    expect(refused).toMatchObject({ allowed: false, state: 'open', retryAt: clock.now() + COOLDOWN_MS, reason: expect.stringMatching(/^circuit open until 2026-01-01T00:00:30/) });
    clock.advance(COOLDOWN_MS - 1);
    expect(await store.acquire('m')).toMatchObject({ allowed: false, state: 'open' });
    clock.advance(1);
    expect(await store.state('m')).toBe('half-open');
  });

  it('gives the half-open trial to exactly one of ten concurrent callers', async () => {
    await openCircuit('m');
    clock.advance(COOLDOWN_MS);
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : otherWorker).acquire('m')));
    expect(results.filter((result) => result.allowed)).toHaveLength(1);
    expect(results.every((result) => result.state === 'half-open')).toBe(true);
    expect(results.find((result) => !result.allowed)?.reason).toMatch(/^half-open: another caller holds the trial until/);
  });

  it('frees the trial for another caller when its holder never reports back', async () => {
    await openCircuit('m');
    clock.advance(COOLDOWN_MS);
    expect((await store.acquire('m')).allowed).toBe(true);
    clock.advance(LEASE_MS - 1);
    expect((await otherWorker.acquire('m')).allowed).toBe(false);
    clock.advance(1);
    expect((await otherWorker.acquire('m')).allowed).toBe(true);
  });

  it('closes and resets the count when the trial succeeds', async () => {
    await openCircuit('m');
    clock.advance(COOLDOWN_MS);
    expect((await store.acquire('m')).allowed).toBe(true);
    await store.recordSuccess('m');
    expect(await store.snapshot('m')).toEqual({ modelId: 'm', state: 'closed', consecutiveFailures: 0, lastError: 'HTTP 503' });
    expect((await otherWorker.acquire('m')).allowed).toBe(true);
  });

  it('re-opens for another cooldown when the trial fails', async () => {
    await openCircuit('m');
    clock.advance(COOLDOWN_MS);
    expect((await store.acquire('m')).allowed).toBe(true);
    const reopened = await store.recordFailure('m', 'still down');
    expect(reopened).toMatchObject({ state: 'open', consecutiveFailures: 4, openedAt: clock.now(), retryAt: clock.now() + COOLDOWN_MS, lastError: 'still down' });
    expect((await otherWorker.acquire('m')).allowed).toBe(false);
    clock.advance(COOLDOWN_MS);
    expect(await otherWorker.acquire('m')).toMatchObject({ allowed: true, state: 'half-open' });
  });

  it('resets the failure count when a call succeeds part-way', async () => {
    await store.recordFailure('m', 'HTTP 500');
    await store.recordFailure('m', 'HTTP 500');
    await store.recordSuccess('m');
    await store.recordFailure('m', 'HTTP 500');
    expect(await store.recordFailure('m', 'HTTP 500')).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
  });

  it('closes an open circuit on an ok health check and keeps what the check saw', async () => {
    await openCircuit('m');
    await store.recordHealth('m', { ok: false, latencyMs: 900, error: 'connect ETIMEDOUT' });
    expect(await store.snapshot('m')).toMatchObject({ state: 'open', lastHealthOk: false, lastLatencyMs: 900, lastError: 'connect ETIMEDOUT', lastCheckedAt: clock.now() });
    clock.advance(5_000);
    await store.recordHealth('m', { ok: true, latencyMs: 240 });
    expect(await otherWorker.snapshot('m')).toEqual({
      modelId: 'm', state: 'closed', consecutiveFailures: 0, lastHealthOk: true, lastLatencyMs: 240, lastCheckedAt: clock.now(), lastError: 'connect ETIMEDOUT',
    });
  });

  it('keeps the latest health checks per model, oldest first, shared between workers and capped', async () => {
    const modelId = `history-${clock.now()}-${Math.random().toString(36).slice(2)}`;
    await store.recordHealth(modelId, { ok: false, latencyMs: 900, error: 'connect ETIMEDOUT' });
    clock.advance(1_000);
    await store.recordHealth(modelId, { ok: true, latencyMs: 240 });
    expect(await otherWorker.healthChecks([modelId, 'never-checked'])).toEqual({
      [modelId]: [{ at: clock.now() - 1_000, ok: false, latencyMs: 900, error: 'connect ETIMEDOUT' }, { at: clock.now(), ok: true, latencyMs: 240 }],
      'never-checked': [],
    });
    for (let check = 0; check < HEALTH_HISTORY_LENGTH; check += 1) await store.recordHealth(modelId, { ok: true, latencyMs: check });
    const kept = (await store.healthChecks([modelId]))[modelId]!;
    expect(kept).toHaveLength(HEALTH_HISTORY_LENGTH);
    expect(kept.at(-1)?.latencyMs).toBe(HEALTH_HISTORY_LENGTH - 1);
    expect(kept[0]?.latencyMs).toBe(0);
  });

  it('closes a half-open circuit on an ok health check', async () => {
    await openCircuit('m');
    clock.advance(COOLDOWN_MS);
    await store.recordHealth('m', { ok: true, latencyMs: 120 });
    expect(await store.state('m')).toBe('closed');
  });

  it('shares state between workers: failures on one open the circuit for the other', async () => {
    await store.recordFailure('shared', 'HTTP 500');
    await otherWorker.recordFailure('shared', 'HTTP 500');
    await store.recordFailure('shared', 'HTTP 500');
    expect((await otherWorker.acquire('shared')).allowed).toBe(false);
    const states = await otherWorker.states(['shared', 'healthy']);
    expect(states).toEqual({
      shared: expect.objectContaining({ state: 'open', consecutiveFailures: 3 }),
      healthy: { modelId: 'healthy', state: 'closed', consecutiveFailures: 0 },
    });
  });
});
