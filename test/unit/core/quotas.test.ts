// Quota windows and waits: runs per day reset at the next UTC midnight, tokens and cost at the next
// UTC month; concurrency and notes count what exists now and have fixed waits.
import { CONCURRENT_RUNS_RETRY_AFTER_SECONDS, NOTES_RETRY_AFTER_SECONDS, quotaExhausted, quotaResetsAt, quotaRetryAfterSeconds, roleMayGrant } from '../../../core/access';

describe('quota windows', () => {
  const now = new Date('2026-12-31T23:59:00Z');

  it('resets runs per day at the next UTC midnight and monthly quotas at the next UTC month', () => {
    expect(quotaResetsAt('runsPerDay', now)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(quotaResetsAt('costUsdPerMonth', now)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(quotaResetsAt('tokensPerMonth', new Date('2026-02-10T12:00:00Z'))?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(quotaRetryAfterSeconds('runsPerDay', now)).toBe(60);
  });

  it('has fixed waits for quotas without a window', () => {
    expect(quotaResetsAt('concurrentRuns', now)).toBeUndefined();
    expect(quotaRetryAfterSeconds('concurrentRuns', now)).toBe(CONCURRENT_RUNS_RETRY_AFTER_SECONDS);
    expect(quotaRetryAfterSeconds('notesStored', now)).toBe(NOTES_RETRY_AFTER_SECONDS);
  });

  it('is used up at the limit, never without one', () => {
    expect(quotaExhausted(2, 2)).toBe(true);
    expect(quotaExhausted(2, 1)).toBe(false);
    expect(quotaExhausted(0, 0)).toBe(true);
    expect(quotaExhausted(null, 1e9)).toBe(false);
  });
});

describe('granting roles', () => {
  it('lets a role grant only roles whose every permission it holds', () => {
    expect(roleMayGrant('owner', 'admin')).toBe(true);
    expect(roleMayGrant('admin', 'owner')).toBe(false);
    expect(roleMayGrant('admin', 'admin')).toBe(true);
    expect(roleMayGrant('operator', 'member')).toBe(true);
    expect(roleMayGrant('viewer', 'member')).toBe(false);
    expect(roleMayGrant('owner', 'platform')).toBe(false);
    expect(roleMayGrant('platform', 'owner')).toBe(true);
  });
});
