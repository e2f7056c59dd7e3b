// The tenant's monthly cost quota as a model call sees it: what is left this UTC month, so a run
// stops `budget_exceeded` mid-run once its tenant has spent the quota (the API only checks at start).
import { TENANT_WIDE, type QuotasRepository } from '../../stores/quotas-repository';

export type TenantSpend = { limit: number; spent: number };

export class TenantCostBudget {
  constructor(private readonly quotas: Pick<QuotasRepository, 'limits' | 'used'>) {}

  /** The tenant's monthly cost quota and its spend this month, or undefined when it has none. */
  async spend(tenantId: string, now = new Date()): Promise<TenantSpend | undefined> {
    const { tenant } = await this.quotas.limits(tenantId, TENANT_WIDE);
    const limit = tenant.costUsdPerMonth;
    if (limit === null || limit === undefined) return undefined;
    return { limit, spent: await this.quotas.used('costUsdPerMonth', tenantId, undefined, now) };
  }
}
