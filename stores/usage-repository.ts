// The per-call usage ledger (model_usage): a call's row written once by its key, and a tenant's (or
// one user's) usage and cost summed from it by model, purpose or user over an optional time window.
// Every model call has one row (steps, checks, summaries, health), so totals never miss or double-count.
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Usage } from '../core/messages';
import type { ModelCallPurpose, UsageGroup } from '../core/model-call-purposes';
import type { Database } from './database';
import { modelUsage, runs } from './schema';

/** One answered call's ledger row. `runId` absent: a call outside any run (a health check). */
export type UsageRecord = {
  usageKey: string;
  tenantId: string;
  runId?: string;
  step?: number;
  purpose: ModelCallPurpose;
  model: string;
  usage: Usage;
  /** Null when the model has no price. */
  costUsd: number | null;
};


/** A group's totals; `key` is the purpose, the model, or the user id (null for calls outside any run). */
export type GroupedUsageTotals = Omit<ModelUsageTotals, 'model'> & { key: string | null };

/** Whose usage: the tenant's, or only the calls of one user's runs. */
export type UsageScope = { tenantId: string; userId?: string };

export type ModelUsageTotals = {
  model: string;
  calls: number;
  runs: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  /** USD; calls to unpriced models add nothing. */
  costUsd: number;
};

export type TenantUsage = Omit<ModelUsageTotals, 'model'> & { byModel: ModelUsageTotals[] };

/** One model's usage on one UTC day (`YYYY-MM-DD`). */
export type DailyModelUsage = ModelUsageTotals & { day: string };

/** The sums every usage query selects, by whatever it groups on. */
const TOTAL_COLUMNS = {
  calls: sql<number>`count(*)::int`,
  runs: sql<number>`count(distinct ${modelUsage.runId})::int`,
  inputTokens: sql<number>`coalesce(sum(${modelUsage.inputTokens}), 0)::bigint`,
  outputTokens: sql<number>`coalesce(sum(${modelUsage.outputTokens}), 0)::bigint`,
  cachedInputTokens: sql<number>`coalesce(sum(${modelUsage.cachedInputTokens}), 0)::bigint`,
  reasoningTokens: sql<number>`coalesce(sum(${modelUsage.reasoningTokens}), 0)::bigint`,
  costUsd: sql<number>`coalesce(sum(${modelUsage.costUsd}), 0)::double precision`,
};

/** The sums as numbers (pg returns bigint sums as strings). */
function totalsOf(row: { [K in keyof typeof TOTAL_COLUMNS]: unknown }): Omit<ModelUsageTotals, 'model'> {
  return {
    calls: Number(row.calls),
    runs: Number(row.runs),
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    cachedInputTokens: Number(row.cachedInputTokens),
    reasoningTokens: Number(row.reasoningTokens),
    costUsd: Number(row.costUsd),
  };
}

export class UsageRepository {
  constructor(private readonly db: Database) {}

  /** Usage per UTC day and model within [from, to), oldest day first. */
  async dailyForTenant(tenantId: string, window: { from: Date; to: Date }, userId?: string): Promise<DailyModelUsage[]> {
    const day = sql<string>`to_char(date_trunc('day', ${modelUsage.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
    const rows = await this.db
      .select({
        day,
        model: modelUsage.model,
        ...TOTAL_COLUMNS,
      })
      .from(modelUsage)
      .where(and(...scopeConditions({ tenantId, userId }, window)))
      .groupBy(day, modelUsage.model)
      .orderBy(day, modelUsage.model);
    return rows.map((row) => ({
      day: row.day,
      model: row.model,
      ...totalsOf(row),
    }));
  }

  /** Writes a call's row once: a retry with the same key adds nothing. The user is the run's owner. */
  async record(entry: UsageRecord): Promise<boolean> {
    const rows = await this.db.insert(modelUsage).values({
      usageKey: entry.usageKey,
      tenantId: entry.tenantId,
      runId: entry.runId ?? null,
      step: entry.step ?? null,
      userId: entry.runId === undefined ? null : sql`(SELECT ${runs.userId} FROM ${runs} WHERE ${runs.id} = ${entry.runId})`,
      purpose: entry.purpose,
      model: entry.model,
      inputTokens: entry.usage.inputTokens,
      outputTokens: entry.usage.outputTokens,
      cachedInputTokens: entry.usage.cachedInputTokens ?? 0,
      reasoningTokens: entry.usage.reasoningTokens ?? 0,
      costUsd: entry.costUsd,
    }).onConflictDoNothing({ target: modelUsage.usageKey }).returning({ usageKey: modelUsage.usageKey });
    return rows.length > 0;
  }

  /** USD a run has spent on every purpose (its chain of continued runs shares its id). */
  async runCost(runId: string): Promise<number> {
    const rows = await this.db.select({ costUsd: TOTAL_COLUMNS.costUsd }).from(modelUsage).where(eq(modelUsage.runId, runId));
    return Number(rows[0]?.costUsd ?? 0);
  }

  /** Totals per purpose, model or user within the window, in the order of the group's key. */
  async grouped(scope: UsageScope, group: UsageGroup, window: { from?: Date; to?: Date } = {}): Promise<GroupedUsageTotals[]> {
    const column = { purpose: modelUsage.purpose, model: modelUsage.model, user: modelUsage.userId }[group];
    const rows = await this.db
      .select({ key: column, ...TOTAL_COLUMNS })
      .from(modelUsage)
      .where(and(...scopeConditions(scope, window)))
      .groupBy(column)
      .orderBy(column);
    return rows.map((row) => ({ key: row.key, ...totalsOf(row) }));
  }

  async forTenant(tenantId: string, window: { from?: Date; to?: Date } = {}, userId?: string): Promise<TenantUsage> {
    const conditions = scopeConditions({ tenantId, userId }, window);
    const rows = await this.db
      .select({
        model: modelUsage.model,
        ...TOTAL_COLUMNS,
      })
      .from(modelUsage)
      .where(and(...conditions))
      .groupBy(modelUsage.model)
      .orderBy(modelUsage.model);
    const byModel = rows.map((row) => ({
      model: row.model,
      ...totalsOf(row),
    }));
    const runs = await this.db
      .select({ runs: sql<number>`count(distinct ${modelUsage.runId})::int` })
      .from(modelUsage)
      .where(and(...conditions));
    const sum = (field: keyof Omit<ModelUsageTotals, 'model' | 'runs'>) => byModel.reduce((total, entry) => total + entry[field], 0);
    return {
      calls: sum('calls'),
      runs: Number(runs[0]?.runs ?? 0),
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      cachedInputTokens: sum('cachedInputTokens'),
      reasoningTokens: sum('reasoningTokens'),
      costUsd: sum('costUsd'),
      byModel,
    };
  }
}

function scopeConditions(scope: UsageScope, window: { from?: Date; to?: Date }): SQL[] {
  const conditions: SQL[] = [eq(modelUsage.tenantId, scope.tenantId)];
  if (scope.userId !== undefined) conditions.push(eq(modelUsage.userId, scope.userId));
  if (window.from) conditions.push(gte(modelUsage.createdAt, window.from));
  if (window.to) conditions.push(lt(modelUsage.createdAt, window.to));
  return conditions;
}
