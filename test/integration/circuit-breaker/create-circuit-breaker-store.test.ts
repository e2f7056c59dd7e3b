// The factory picks the store for the mode Keel runs in: Redis when a URL is set, in-process otherwise.
import { InProcessCircuitBreakerStore, RedisCircuitBreakerStore, createCircuitBreakerStore } from '../../../stores/circuit-breaker';
import { REDIS_URL, RUN_PREFIX, deleteTestKeys } from './circuit-breaker-deployments';

afterAll(deleteTestKeys);

describe('choosing a circuit-breaker store', () => {
  it('uses Redis when a URL is configured and the in-process twin otherwise', async () => {
    const embedded = createCircuitBreakerStore(undefined, { keyPrefix: RUN_PREFIX });
    const shared = createCircuitBreakerStore(REDIS_URL, { keyPrefix: `${RUN_PREFIX}factory:` });
    try {
      expect(embedded).toBeInstanceOf(InProcessCircuitBreakerStore);
      expect(shared).toBeInstanceOf(RedisCircuitBreakerStore);
      await shared.recordFailure('m', 'HTTP 500');
      expect(await shared.snapshot('m')).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
      expect(await embedded.snapshot('m')).toMatchObject({ consecutiveFailures: 0 });
    } finally {
      await Promise.all([embedded.close(), shared.close()]);
    }
  });
});
