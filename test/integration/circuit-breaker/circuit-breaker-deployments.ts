// Fixtures for the circuit-breaker contract: a test clock, both store implementations deployed as
// two handles on one shared state, and cleanup of the Redis keys a test run wrote.
import Redis from 'ioredis';
import { ulid } from 'ulid';
import {
  InProcessCircuitBreakerStore,
  RedisCircuitBreakerStore,
  type CircuitBreakerOptions,
  type CircuitBreakerStore,
} from '../../../stores/circuit-breaker';
import { TEST_REDIS_URL, hasPrerequisite } from '../../support/prerequisites';

export const REDIS_URL = TEST_REDIS_URL;
/** Every key this test run writes starts with it, so runs never meet and cleanup finds them all. */
export const RUN_PREFIX = `keel:circuit:test-${ulid().toLowerCase()}:`;

export type TestClock = { now: () => number; advance: (milliseconds: number) => void };

export function testClock(): TestClock {
  let current = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => current, advance: (milliseconds) => void (current += milliseconds) };
}

/** Two handles on one shared circuit state: two workers in production, one process when embedded. */
export type Deployment = { workers: [CircuitBreakerStore, CircuitBreakerStore]; close: () => Promise<void> };

let deploymentCount = 0;

const ALL_DEPLOYMENTS: Array<[string, (options: CircuitBreakerOptions) => Deployment]> = [
  ['RedisCircuitBreakerStore', (options) => {
    // Two stores, two ioredis connections, one key space: two workers racing on the same models.
    const keyPrefix = `${RUN_PREFIX}${(deploymentCount += 1)}:`;
    const first = new RedisCircuitBreakerStore(REDIS_URL, { ...options, keyPrefix });
    const second = new RedisCircuitBreakerStore(REDIS_URL, { ...options, keyPrefix });
    return { workers: [first, second], close: async () => void (await Promise.all([first.close(), second.close()])) };
  }],
  ['InProcessCircuitBreakerStore', (options) => {
    const store = new InProcessCircuitBreakerStore(options);
    return { workers: [store, store], close: () => store.close() };
  }],
];

/** Without Redis (named in the run's summary) the contract runs on the in-process twin only. */
export const DEPLOYMENTS = ALL_DEPLOYMENTS.filter(([name]) => name !== 'RedisCircuitBreakerStore' || hasPrerequisite('redis'));

/** Deletes every key written under RUN_PREFIX. */
export async function deleteTestKeys(): Promise<void> {
  if (!hasPrerequisite('redis')) return;
  const cleaner = new Redis(REDIS_URL);
  try {
    const keys: string[] = [];
    for await (const batch of cleaner.scanStream({ match: `${RUN_PREFIX}*`, count: 100 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await cleaner.del(...keys);
  } finally {
    await cleaner.quit();
  }
}
