// Quotas: what each one counts, over which window (UTC day, UTC calendar month, or "now"), and how
// long a refused caller should wait before trying again. Pure; the counts come from stores/.
export const QUOTA_NAMES = ['runsPerDay', 'concurrentRuns', 'tokensPerMonth', 'costUsdPerMonth', 'notesStored', 'concurrentSteps'] as const;

export type QuotaName = (typeof QUOTA_NAMES)[number];

/**
 * Quotas the workers hold rather than the API: `concurrentSteps` caps a tenant's steps running at
 * once (activities/step/tenant-step-slots.ts). A run is never refused for it; its steps wait for a
 * slot. Tenant-wide only: a user's limits cannot name it.
 */
export const WORKER_QUOTAS = ['concurrentSteps'] as const satisfies readonly QuotaName[];

/** The quotas counted from the database (everything but the workers' own). */
export type StoredCountQuota = Exclude<QuotaName, (typeof WORKER_QUOTAS)[number]>;

/** A limit per quota; null (or absent) is unlimited. */
export type QuotaLimits = Partial<Record<QuotaName, number | null>>;

export type QuotaScope = 'tenant' | 'user';

/** Runs finish on their own: a caller refused for concurrency may try again this soon. */
export const CONCURRENT_RUNS_RETRY_AFTER_SECONDS = 30;
/** Notes free up only when deleted or expired: retrying sooner than this is pointless. */
export const NOTES_RETRY_AFTER_SECONDS = 3600;

/** What creating a run or a note counts against. */
export const QUOTAS_OF: Readonly<Record<'run' | 'note', readonly StoredCountQuota[]>> = {
  run: ['runsPerDay', 'concurrentRuns', 'tokensPerMonth', 'costUsdPerMonth'],
  note: ['notesStored'],
};

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** When the quota's window starts again (undefined for quotas that count what exists now). */
export function quotaResetsAt(quota: QuotaName, now: Date): Date | undefined {
  if (quota === 'runsPerDay') return new Date(startOfUtcDay(now).getTime() + 86_400_000);
  if (quota === 'tokensPerMonth' || quota === 'costUsdPerMonth') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return undefined;
}

export function quotaRetryAfterSeconds(quota: QuotaName, now: Date): number {
  const resetsAt = quotaResetsAt(quota, now);
  if (resetsAt) return Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
  return quota === 'concurrentRuns' ? CONCURRENT_RUNS_RETRY_AFTER_SECONDS : NOTES_RETRY_AFTER_SECONDS;
}

/** Used up when what is counted has reached the limit (a limit of 0 refuses everything). */
export function quotaExhausted(limit: number | null | undefined, used: number): boolean {
  return limit !== null && limit !== undefined && used >= limit;
}
