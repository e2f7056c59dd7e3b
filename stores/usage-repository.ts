// A tenant's model usage and cost, summed from the per-call ledger (model_usage) by model, over an
// optional time window. The ledger is written with each step's reply, so totals never double-count.
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Database } from './database';
import { modelUsage } from './schema';

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
  async dailyForTenant(tenantId: string, window: { from: Date; to: Date }): Promise<DailyModelUsage[]> {
    const day = sql<string>`to_char(date_trunc('day', ${modelUsage.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
    const rows = await this.db
      .select({
        day,
        model: modelUsage.model,
        ...TOTAL_COLUMNS,
      })
      .from(modelUsage)
      .where(and(eq(modelUsage.tenantId, tenantId), gte(modelUsage.createdAt, window.from), lt(modelUsage.createdAt, window.to)))
      .groupBy(day, modelUsage.model)
      .orderBy(day, modelUsage.model);
    return rows.map((row) => ({
      day: row.day,
      model: row.model,
      ...totalsOf(row),
    }));
  }

  async forTenant(tenantId: string, window: { from?: Date; to?: Date } = {}): Promise<TenantUsage> {
    const conditions: SQL[] = [eq(modelUsage.tenantId, tenantId)];
    if (window.from) conditions.push(gte(modelUsage.createdAt, window.from));
    if (window.to) conditions.push(lt(modelUsage.createdAt, window.to));
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
