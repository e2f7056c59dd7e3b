// Quota limits of a tenant and of its users, and what each quota counts now: runs started today,
// runs not finished, tokens and USD this month (from the model_usage ledger), live notes.
import { and, eq, gte, inArray, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { QUOTA_NAMES, startOfUtcDay, startOfUtcMonth, type QuotaLimits, type QuotaName, type StoredCountQuota } from '../core/access';
import { TERMINAL_STATUSES } from '../core/run-status';
import type { Database } from './database';
import { modelUsage, notes, quotas, runs } from './schema';

/** The `user_id` of a tenant-wide row. */
export const TENANT_WIDE = '';

export class QuotasRepository {
  constructor(private readonly db: Database) {}

  /** Replaces the limits (a quota left out is unlimited). */
  async set(tenantId: string, userId: string, limits: QuotaLimits): Promise<QuotaLimits> {
    const values = Object.fromEntries(QUOTA_NAMES.map((name) => [name, limits[name] ?? null])) as Record<QuotaName, number | null>;
    await this.db.insert(quotas).values({ tenantId, userId, ...values, updatedAt: new Date() })
      .onConflictDoUpdate({ target: [quotas.tenantId, quotas.userId], set: { ...values, updatedAt: new Date() } });
    return values;
  }

  /** The tenant's limits and the user's (each empty when none are set). */
  async limits(tenantId: string, userId: string): Promise<{ tenant: QuotaLimits; user: QuotaLimits }> {
    const rows = await this.db.select().from(quotas).where(and(eq(quotas.tenantId, tenantId), inArray(quotas.userId, [TENANT_WIDE, userId])));
    const pick = (row: (typeof rows)[number] | undefined): QuotaLimits =>
      row ? Object.fromEntries(QUOTA_NAMES.map((name) => [name, row[name] === null ? null : Number(row[name])])) : {};
    return { tenant: pick(rows.find((row) => row.userId === TENANT_WIDE)), user: pick(rows.find((row) => row.userId === userId && userId !== TENANT_WIDE)) };
  }

  /** What the quota counts for the tenant, or for one user of it (the workers count `concurrentSteps`: stores/tenant-step-slots/). */
  async used(quota: StoredCountQuota, tenantId: string, userId: string | undefined, now: Date): Promise<number> {
    switch (quota) {
      case 'runsPerDay': return this.countRuns(tenantId, userId, gte(runs.createdAt, startOfUtcDay(now)));
      case 'concurrentRuns': return this.countRuns(tenantId, userId, notInArray(runs.status, [...TERMINAL_STATUSES]));
      case 'tokensPerMonth': return this.sumUsage(sql`${modelUsage.inputTokens} + ${modelUsage.outputTokens}`, tenantId, userId, now);
      case 'costUsdPerMonth': return this.sumUsage(sql`coalesce(${modelUsage.costUsd}, 0)`, tenantId, userId, now);
      case 'notesStored': {
        const conditions: SQL[] = [eq(notes.tenantId, tenantId), isNull(notes.supersededBy), isNull(notes.deletedAt)];
        if (userId !== undefined) conditions.push(eq(notes.userId, userId));
        const rows = await this.db.select({ count: sql<number>`count(*)::int` }).from(notes).where(and(...conditions));
        return Number(rows[0]?.count ?? 0);
      }
    }
  }

  private async countRuns(tenantId: string, userId: string | undefined, condition: SQL): Promise<number> {
    const conditions: SQL[] = [eq(runs.tenantId, tenantId), condition];
    if (userId !== undefined) conditions.push(eq(runs.userId, userId));
    const rows = await this.db.select({ count: sql<number>`count(*)::int` }).from(runs).where(and(...conditions));
    return Number(rows[0]?.count ?? 0);
  }

  private async sumUsage(amount: SQL, tenantId: string, userId: string | undefined, now: Date): Promise<number> {
    const conditions: SQL[] = [eq(modelUsage.tenantId, tenantId), gte(modelUsage.createdAt, startOfUtcMonth(now))];
    // Every purpose counts (steps, checks, summaries...); a user's share is the calls of the runs they started.
    if (userId !== undefined) conditions.push(eq(modelUsage.userId, userId));
    const rows = await this.db.select({ total: sql<number>`coalesce(sum(${amount}), 0)::double precision` }).from(modelUsage).where(and(...conditions));
    return Number(rows[0]?.total ?? 0);
  }
}
