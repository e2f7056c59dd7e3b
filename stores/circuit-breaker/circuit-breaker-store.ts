// The circuit-breaker store's contract: per-model circuit state shared by every worker and API
// replica (Redis) or kept in process (embedded mode), with the settings both implementations read.
import {
  DEFAULT_COOLDOWN_SECONDS,
  DEFAULT_FAILURE_THRESHOLD,
  type CircuitSnapshot,
  type CircuitState,
  type HealthCheck,
  type HealthReport,
} from '../../core/model-pool';

/** How long a half-open trial call holds its lease; long enough for one model call to finish. */
export const DEFAULT_TRIAL_LEASE_SECONDS = 60;

export type CircuitBreakerOptions = {
  /** Consecutive failures that open a circuit. */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before it turns half-open. */
  cooldownSeconds?: number;
  /** How long the one half-open trial is reserved; a caller that dies without reporting frees it then. */
  trialLeaseSeconds?: number;
  /** Epoch milliseconds; injected by tests. */
  now?: () => number;
};

export type ResolvedCircuitOptions = { failureThreshold: number; cooldownMs: number; trialLeaseMs: number; now: () => number };

export function resolveCircuitOptions(options: CircuitBreakerOptions): ResolvedCircuitOptions {
  return {
    failureThreshold: options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
    cooldownMs: (options.cooldownSeconds ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
    trialLeaseMs: (options.trialLeaseSeconds ?? DEFAULT_TRIAL_LEASE_SECONDS) * 1000,
    now: options.now ?? Date.now,
  };
}

/** `allowed` says whether the caller may call the model now; `retryAt` (epoch ms) when it may not. */
export type AcquireResult = { allowed: boolean; state: CircuitState; reason: string; retryAt?: number };

export interface CircuitBreakerStore {
  /** The model's state; `half-open` once an open circuit's cooldown has passed. */
  state(modelId: string): Promise<CircuitState>;
  snapshot(modelId: string): Promise<CircuitSnapshot>;
  /** Snapshots of several models at once (for selection and GET /v1/models); unknown ids read as closed. */
  states(modelIds: readonly string[]): Promise<Record<string, CircuitSnapshot>>;
  /**
   * Asks to call the model. Closed: allowed. Open: refused until `retryAt`. Half-open: exactly one
   * caller gets the trial (a lease that expires after `trialLeaseSeconds`); the rest are refused.
   */
  acquire(modelId: string): Promise<AcquireResult>;
  /** A call succeeded: the circuit closes and the failure count resets. */
  recordSuccess(modelId: string): Promise<void>;
  /**
   * A call failed: the count grows; reaching the threshold opens the circuit until now + cooldown,
   * and a failed half-open trial re-opens it for another cooldown.
   */
  recordFailure(modelId: string, error: string): Promise<CircuitSnapshot>;
  /**
   * A health check ran: latency, time, outcome and error are kept. An ok check closes an open or
   * half-open circuit; a failed one changes no state (call failures alone open circuits).
   */
  recordHealth(modelId: string, report: HealthReport): Promise<void>;
  /** The latest health checks of each model (at most HEALTH_HISTORY_LENGTH), oldest first; unknown ids have none. */
  healthChecks(modelIds: readonly string[]): Promise<Record<string, HealthCheck[]>>;
  /** Releases connections the store opened itself. */
  close(): Promise<void>;
}
