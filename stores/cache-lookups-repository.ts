// The cache lookups steps made, hit or miss (`cache_lookups`), and a tenant's hit ratio over a
// window, which GET /v1/usage reports. A retried step's lookup replaces its earlier attempt's, so
// a step counts once whichever attempt answered it.
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { CacheKind } from '../core/cache';
import type { Database } from './database';
import { cacheLookups } from './schema';

export type CacheLookupWrite = { runId: string; tenantId: string; step: number; kind: CacheKind; hit: boolean; sourceRunId?: string };

export type CacheTotals = { hits: number; misses: number; hitRatio: number | null };

export type TenantCacheUsage = CacheTotals & { byKind: Array<CacheTotals & { kind: string }> };

function totals(hits: number, misses: number): CacheTotals {
  const lookups = hits + misses;
  return { hits, misses, hitRatio: lookups === 0 ? null : hits / lookups };
}

export class CacheLookupsRepository {
  constructor(private readonly db: Database) {}

  async record(lookup: CacheLookupWrite): Promise<void> {
    await this.db.insert(cacheLookups)
      .values({ runId: lookup.runId, tenantId: lookup.tenantId, step: lookup.step, kind: lookup.kind, hit: lookup.hit, sourceRunId: lookup.sourceRunId ?? null })
      .onConflictDoUpdate({
        target: [cacheLookups.runId, cacheLookups.step, cacheLookups.kind],
        set: { hit: lookup.hit, sourceRunId: lookup.sourceRunId ?? null, createdAt: sql`now()` },
      });
  }

  /** Hits, misses and their ratio (null without lookups) within [from, to), in total and by kind. */
  async forTenant(tenantId: string, window: { from?: Date; to?: Date } = {}): Promise<TenantCacheUsage> {
    const conditions: SQL[] = [eq(cacheLookups.tenantId, tenantId)];
    if (window.from) conditions.push(gte(cacheLookups.createdAt, window.from));
    if (window.to) conditions.push(lt(cacheLookups.createdAt, window.to));
    const rows = await this.db
      .select({
        kind: cacheLookups.kind,
        hits: sql<number>`count(*) filter (where ${cacheLookups.hit})::int`,
        misses: sql<number>`count(*) filter (where not ${cacheLookups.hit})::int`,
      })
      .from(cacheLookups)
      .where(and(...conditions))
      .groupBy(cacheLookups.kind)
      .orderBy(cacheLookups.kind);
    const byKind = rows.map((row) => ({ kind: row.kind, ...totals(Number(row.hits), Number(row.misses)) }));
    const hits = byKind.reduce((sum, entry) => sum + entry.hits, 0);
    const misses = byKind.reduce((sum, entry) => sum + entry.misses, 0);
    return { ...totals(hits, misses), byKind };
  }
}
