// The tenant's monthly cost quota as a model call sees it: what is left this UTC month, so a run
// stops `budget_exceeded` mid-run once its tenant has spent the quota (the API only checks at start).
import { TENANT_WIDE, type QuotasRepository } from '../../stores/quotas-repository';

export type TenantSpend = { limit: number; spent: number };

/**
 * How long a tenant's quota limit is reused before it is read again. Limits change rarely (an admin
 * call), while every pool model call asks: most tenants have none, and need no query per step.
 * The spend itself is always read fresh, so a quota is never overrun by the cache.
 */
export const TENANT_LIMIT_CACHE_MS = 30_000;
const TENANT_LIMIT_CACHE_MAX = 10_000;

export class TenantCostBudget {
  private readonly limits = new Map<string, { limit: number | null | undefined; expiresAt: number }>();

  constructor(private readonly quotas: Pick<QuotasRepository, 'limits' | 'used'>, private readonly cacheMs = TENANT_LIMIT_CACHE_MS) {}

  /** The tenant's monthly cost quota and its spend this month, or undefined when it has none. */
  async spend(tenantId: string, now = new Date()): Promise<TenantSpend | undefined> {
    const limit = await this.limitOf(tenantId);
    if (limit === null || limit === undefined) return undefined;
    return { limit, spent: await this.quotas.used('costUsdPerMonth', tenantId, undefined, now) };
  }

  private async limitOf(tenantId: string): Promise<number | null | undefined> {
    const cached = this.limits.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return cached.limit;
    const { tenant } = await this.quotas.limits(tenantId, TENANT_WIDE);
    if (this.limits.size >= TENANT_LIMIT_CACHE_MAX) this.limits.clear();
    this.limits.set(tenantId, { limit: tenant.costUsdPerMonth, expiresAt: Date.now() + this.cacheMs });
    return tenant.costUsdPerMonth;
  }
}
