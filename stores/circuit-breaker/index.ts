// Shared circuit-breaker state for the model pool: the store contract, its Redis and in-process
// implementations, and the factory that picks one for the mode Keel runs in.
export {
  DEFAULT_TRIAL_LEASE_SECONDS,
  resolveCircuitOptions,
  type AcquireResult,
  type CircuitBreakerOptions,
  type CircuitBreakerStore,
  type ResolvedCircuitOptions,
} from './circuit-breaker-store';
export { createCircuitBreakerStore } from './create-circuit-breaker-store';
export { InProcessCircuitBreakerStore } from './in-process-circuit-breaker-store';
export { DEFAULT_CIRCUIT_KEY_PREFIX, RedisCircuitBreakerStore, type RedisCircuitBreakerOptions } from './redis-circuit-breaker-store';
