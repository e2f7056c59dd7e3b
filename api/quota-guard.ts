// Quotas enforced where runs and notes are created: the tenant's limits and the caller's own, each
// checked against what it counts now. A refusal is a 429 with Retry-After and a body naming the
// quota. Checks are not transactional: replicas racing at the limit may each let one more through.
import {
  QUOTA_NAMES, QUOTAS_OF, quotaExhausted, quotaResetsAt, quotaRetryAfterSeconds, type QuotaLimits, type QuotaName, type QuotaScope,
} from '../core/access';
import type { TenantStepSlotStore } from '../stores/tenant-step-slots';
import type { Principal } from '../stores/api-keys-repository';
import type { QuotasRepository } from '../stores/quotas-repository';
import { HttpError } from './http-error';

export type QuotaStatus = { quota: QuotaName; scope: QuotaScope; limit: number | null; used: number; remaining: number | null; resetsAt: string | null };

export class QuotaGuard {
  constructor(
    private readonly quotas: QuotasRepository,
    private readonly now: () => Date = () => new Date(),
    /** The workers' step slots: what `concurrentSteps` counts (the tenant's steps running now). */
    private readonly stepSlots?: Pick<TenantStepSlotStore, 'held'>,
  ) {}

  /** Throws a 429 naming the first quota that creating a `what` would go over. */
  async admit(principal: Principal, what: 'run' | 'note'): Promise<void> {
    const limits = await this.quotas.limits(principal.tenantId, principal.userId);
    const now = this.now();
    for (const scope of ['tenant', 'user'] as const) {
      for (const quota of QUOTAS_OF[what]) {
        const limit = limits[scope][quota];
        if (limit === null || limit === undefined) continue;
        const used = await this.quotas.used(quota, principal.tenantId, scope === 'user' ? principal.userId : undefined, now);
        if (quotaExhausted(limit, used)) throw this.exceeded(scope, quota, limit, used, now);
      }
    }
  }

  /** Every quota of the tenant and of the caller: limit, used, remaining (null: unlimited). */
  async status(principal: Principal): Promise<QuotaStatus[]> {
    const limits = await this.quotas.limits(principal.tenantId, principal.userId);
    const now = this.now();
    const statuses: QuotaStatus[] = [];
    for (const scope of ['tenant', 'user'] as const) {
      for (const quota of QUOTA_NAMES) {
        // Steps are limited per tenant only, and counted where the workers hold their slots.
        if (quota === 'concurrentSteps' && (scope === 'user' || !this.stepSlots)) continue;
        const limit = (limits[scope] as QuotaLimits)[quota] ?? null;
        const used = quota === 'concurrentSteps'
          ? await this.stepSlots?.held(principal.tenantId) ?? 0
          : await this.quotas.used(quota, principal.tenantId, scope === 'user' ? principal.userId : undefined, now);
        statuses.push({
          quota, scope, limit, used, remaining: limit === null ? null : Math.max(0, limit - used), resetsAt: quotaResetsAt(quota, now)?.toISOString() ?? null,
        });
      }
    }
    return statuses;
  }

  private exceeded(scope: QuotaScope, quota: QuotaName, limit: number, used: number, now: Date): HttpError {
    const retryAfterSeconds = quotaRetryAfterSeconds(quota, now);
    const resetsAt = quotaResetsAt(quota, now)?.toISOString() ?? null;
    const owner = scope === 'tenant' ? "the tenant's" : 'your';
    return new HttpError(429, 'quota_exceeded', `${owner} ${quota} quota of ${limit} is used up (${used}); try again in ${retryAfterSeconds} s${resetsAt ? ` (it resets at ${resetsAt})` : ''}`,
      { quota, scope, limit, used, retryAfterSeconds, resetsAt }, { 'retry-after': String(retryAfterSeconds) });
  }
}
