// The circuit breaker's vocabulary, shared by the selection policy (which reads states) and the
// stores (which keep them): states, the snapshot a store reports, and the lazy open → half-open rule.

export const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

/** What a store knows about one model; times are epoch milliseconds. */
export type CircuitSnapshot = {
  modelId: string;
  state: CircuitState;
  consecutiveFailures: number;
  /** When the circuit last opened (present while open or half-open). */
  openedAt?: number;
  /** When an open circuit lets one trial call through (becomes half-open). */
  retryAt?: number;
  /** The last failure seen, from a call or a health check. */
  lastError?: string;
  /** Latency of the last health check. */
  lastLatencyMs?: number;
  /** When the last health check ran. */
  lastCheckedAt?: number;
  /** Whether the last health check succeeded. */
  lastHealthOk?: boolean;
};

/** What a health check reports for one model. */
export type HealthReport = { ok: boolean; latencyMs: number; error?: string };

/** A recorded health check: the report and when it was recorded (epoch ms). */
export type HealthCheck = HealthReport & { at: number };

/** How many health checks per model a store keeps (the console's chart): eight hours at the default five-minute interval. */
export const HEALTH_HISTORY_LENGTH = 96;

/**
 * Stores keep only `closed` or `open`; an open circuit whose `retryAt` has passed reads as
 * `half-open`, so no timer or sweeper is needed to move it there.
 */
export function effectiveCircuitState(stored: 'closed' | 'open', retryAt: number | undefined, now: number): CircuitState {
  if (stored === 'open' && retryAt !== undefined && now >= retryAt) return 'half-open';
  return stored;
}

/** A circuit nobody has reported on yet. */
export function closedSnapshot(modelId: string): CircuitSnapshot {
  return { modelId, state: 'closed', consecutiveFailures: 0 };
}
