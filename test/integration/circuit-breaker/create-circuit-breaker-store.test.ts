// The factory picks the store for the mode Keel runs in: Redis when a URL is set, in-process otherwise.
import { InProcessCircuitBreakerStore, RedisCircuitBreakerStore, createCircuitBreakerStore } from '../../../stores/circuit-breaker';
import { describeWith } from '../../support/prerequisites';
import { REDIS_URL, RUN_PREFIX, deleteTestKeys } from './circuit-breaker-deployments';

afterAll(deleteTestKeys);

describe('choosing a circuit-breaker store', () => {
  it('uses the in-process twin when no Redis URL is configured', async () => {
    const embedded = createCircuitBreakerStore(undefined, { keyPrefix: RUN_PREFIX });
    try {
      expect(embedded).toBeInstanceOf(InProcessCircuitBreakerStore);
      expect(await embedded.snapshot('m')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    } finally {
      await embedded.close();
    }
  });
});

// Skipped without Redis (named in the run's summary).
describeWith('redis')('choosing the Redis circuit-breaker store', () => {
  it('uses Redis when a URL is configured, apart from the in-process twin', async () => {
    const embedded = createCircuitBreakerStore(undefined, { keyPrefix: RUN_PREFIX });
    const shared = createCircuitBreakerStore(REDIS_URL, { keyPrefix: `${RUN_PREFIX}factory:` });
    try {
      expect(shared).toBeInstanceOf(RedisCircuitBreakerStore);
      await shared.recordFailure('m', 'HTTP 500');
      expect(await shared.snapshot('m')).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
      expect(await embedded.snapshot('m')).toMatchObject({ consecutiveFailures: 0 });
    } finally {
      await Promise.all([embedded.close(), shared.close()]);
    }
  });
});
