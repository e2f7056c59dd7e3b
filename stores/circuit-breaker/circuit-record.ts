// What both stores keep per model and how it reads back: the stored record (only `closed` or
// `open`; half-open is derived from the clock), its snapshot, and the words `acquire` answers with.
import { effectiveCircuitState, type CircuitSnapshot, type CircuitState } from '../../core/model-pool';
import type { AcquireResult } from './circuit-breaker-store';

export type CircuitRecord = {
  state: 'closed' | 'open';
  consecutiveFailures: number;
  openedAt?: number;
  retryAt?: number;
  /** Until when the current half-open trial is reserved. */
  trialLeaseUntil?: number;
  lastError?: string;
  lastLatencyMs?: number;
  lastCheckedAt?: number;
  lastHealthOk?: boolean;
};

export function toSnapshot(modelId: string, record: CircuitRecord | undefined, now: number): CircuitSnapshot {
  if (!record) return { modelId, state: 'closed', consecutiveFailures: 0 };
  const { trialLeaseUntil: _lease, state, ...rest } = record;
  return { modelId, ...rest, state: effectiveCircuitState(state, record.retryAt, now) };
}

/** Reads a Redis hash (all strings, missing fields absent) as a record. */
export function recordFromHash(hash: Record<string, string>): CircuitRecord | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  const number = (field: string): number | undefined => (hash[field] === undefined ? undefined : Number(hash[field]));
  const record: CircuitRecord = { state: hash.state === 'open' ? 'open' : 'closed', consecutiveFailures: number('consecutiveFailures') ?? 0 };
  const openedAt = number('openedAt');
  const retryAt = number('retryAt');
  const trialLeaseUntil = number('trialLeaseUntil');
  const lastLatencyMs = number('lastLatencyMs');
  const lastCheckedAt = number('lastCheckedAt');
  if (openedAt !== undefined) record.openedAt = openedAt;
  if (retryAt !== undefined) record.retryAt = retryAt;
  if (trialLeaseUntil !== undefined) record.trialLeaseUntil = trialLeaseUntil;
  if (hash.lastError !== undefined) record.lastError = hash.lastError;
  if (lastLatencyMs !== undefined) record.lastLatencyMs = lastLatencyMs;
  if (lastCheckedAt !== undefined) record.lastCheckedAt = lastCheckedAt;
  if (hash.lastHealthOk !== undefined) record.lastHealthOk = hash.lastHealthOk === '1';
  return record;
}

/** The outcome of `acquire` in words; `until` is `retryAt` when open, the trial lease when half-open. */
export function acquireResult(state: CircuitState, allowed: boolean, until?: number): AcquireResult {
  const at = until === undefined ? 'unknown' : new Date(until).toISOString();
  if (state === 'closed') return { allowed: true, state, reason: 'circuit closed' };
  if (state === 'open') return { allowed: false, state, reason: `circuit open until ${at}`, ...(until !== undefined && { retryAt: until }) };
  if (allowed) return { allowed, state, reason: `half-open: this call is the trial (reserved until ${at})` };
  return { allowed, state, reason: `half-open: another caller holds the trial until ${at}`, ...(until !== undefined && { retryAt: until }) };
}
