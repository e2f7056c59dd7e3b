// Circuit state for the embedded mode: the same transitions as the Redis store, kept in a Map.
// Each method reads and writes without awaiting in between, so concurrent callers in one process
// see one consistent state (only one of them wins a half-open trial).
import { HEALTH_HISTORY_LENGTH, type CircuitSnapshot, type CircuitState, type HealthCheck, type HealthReport } from '../../core/model-pool';
import {
  resolveCircuitOptions,
  type AcquireResult,
  type CircuitBreakerOptions,
  type CircuitBreakerStore,
  type ResolvedCircuitOptions,
} from './circuit-breaker-store';
import { acquireResult, toSnapshot, type CircuitRecord } from './circuit-record';

export class InProcessCircuitBreakerStore implements CircuitBreakerStore {
  private readonly records = new Map<string, CircuitRecord>();
  private readonly checks = new Map<string, HealthCheck[]>();
  private readonly options: ResolvedCircuitOptions;

  constructor(options: CircuitBreakerOptions = {}) {
    this.options = resolveCircuitOptions(options);
  }

  async state(modelId: string): Promise<CircuitState> {
    return (await this.snapshot(modelId)).state;
  }

  async snapshot(modelId: string): Promise<CircuitSnapshot> {
    return toSnapshot(modelId, this.records.get(modelId), this.options.now());
  }

  async states(modelIds: readonly string[]): Promise<Record<string, CircuitSnapshot>> {
    const now = this.options.now();
    return Object.fromEntries(modelIds.map((modelId) => [modelId, toSnapshot(modelId, this.records.get(modelId), now)]));
  }

  async acquire(modelId: string): Promise<AcquireResult> {
    const now = this.options.now();
    const record = this.records.get(modelId);
    const state = toSnapshot(modelId, record, now).state;
    if (!record || state === 'closed') return acquireResult('closed', true);
    if (state === 'open') return acquireResult('open', false, record.retryAt);
    if (record.trialLeaseUntil !== undefined && record.trialLeaseUntil > now) return acquireResult('half-open', false, record.trialLeaseUntil);
    record.trialLeaseUntil = now + this.options.trialLeaseMs;
    return acquireResult('half-open', true, record.trialLeaseUntil);
  }

  async recordSuccess(modelId: string): Promise<void> {
    this.closeCircuit(this.recordOf(modelId));
  }

  async recordFailure(modelId: string, error: string): Promise<CircuitSnapshot> {
    const now = this.options.now();
    const record = this.recordOf(modelId);
    const state = toSnapshot(modelId, record, now).state;
    record.consecutiveFailures += 1;
    record.lastError = error;
    const reachedThreshold = state === 'closed' && record.consecutiveFailures >= this.options.failureThreshold;
    if (state === 'half-open' || reachedThreshold) {
      record.state = 'open';
      record.openedAt = now;
      record.retryAt = now + this.options.cooldownMs;
      delete record.trialLeaseUntil;
    }
    return toSnapshot(modelId, record, now);
  }

  async recordHealth(modelId: string, report: HealthReport): Promise<void> {
    const record = this.recordOf(modelId);
    record.lastLatencyMs = report.latencyMs;
    record.lastCheckedAt = this.options.now();
    record.lastHealthOk = report.ok;
    const history = this.checks.get(modelId) ?? [];
    history.push({ ...report, at: record.lastCheckedAt });
    this.checks.set(modelId, history.slice(-HEALTH_HISTORY_LENGTH));
    if (report.error !== undefined) record.lastError = report.error;
    if (report.ok) this.closeCircuit(record);
  }

  async healthChecks(modelIds: readonly string[]): Promise<Record<string, HealthCheck[]>> {
    return Object.fromEntries(modelIds.map((modelId) => [modelId, [...(this.checks.get(modelId) ?? [])]]));
  }

  async close(): Promise<void> {
    this.records.clear();
    this.checks.clear();
  }

  private recordOf(modelId: string): CircuitRecord {
    let record = this.records.get(modelId);
    if (!record) {
      record = { state: 'closed', consecutiveFailures: 0 };
      this.records.set(modelId, record);
    }
    return record;
  }

  private closeCircuit(record: CircuitRecord): void {
    record.state = 'closed';
    record.consecutiveFailures = 0;
    delete record.openedAt;
    delete record.retryAt;
    delete record.trialLeaseUntil;
  }
}
