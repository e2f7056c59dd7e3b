// Picks the circuit store for the mode Keel runs in: Redis when a URL is configured (production,
// every replica shares state), the in-process twin otherwise (embedded mode, one process).
import type { CircuitBreakerStore } from './circuit-breaker-store';
import { InProcessCircuitBreakerStore } from './in-process-circuit-breaker-store';
import { RedisCircuitBreakerStore, type RedisCircuitBreakerOptions } from './redis-circuit-breaker-store';

export function createCircuitBreakerStore(redisUrl: string | undefined, options: RedisCircuitBreakerOptions = {}): CircuitBreakerStore {
  if (redisUrl) return new RedisCircuitBreakerStore(redisUrl, options);
  const { keyPrefix: _keyPrefix, ...inProcessOptions } = options;
  return new InProcessCircuitBreakerStore(inProcessOptions);
}
