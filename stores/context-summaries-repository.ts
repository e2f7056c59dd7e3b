// Summaries of dropped turns, one per (run, last covered seq): written once (a retry's write is a
// no-op), read back by the next step that needs one.
import { and, desc, eq } from 'drizzle-orm';
import type { StoredSummary } from '../core/context';
import type { Database } from './database';
import { contextSummaries } from './schema';

export type ContextSummaryRecord = StoredSummary & { model: string };

export class ContextSummariesRepository {
  constructor(private readonly db: Database) {}

  async latest(tenantId: string, runId: string): Promise<ContextSummaryRecord | undefined> {
    const rows = await this.db.select().from(contextSummaries)
      .where(and(eq(contextSummaries.runId, runId), eq(contextSummaries.tenantId, tenantId)))
      .orderBy(desc(contextSummaries.throughSeq))
      .limit(1);
    const row = rows[0];
    if (!row) return undefined;
    return {
      fromSeq: row.fromSeq, throughSeq: row.throughSeq, keptSeqs: row.keptSeqs as number[],
      droppedCount: row.droppedCount, text: row.text, model: row.model,
    };
  }

  /** Keeps the first summary written for a range: a concurrent attempt's is the same cut, so either will do. */
  async save(tenantId: string, runId: string, summary: ContextSummaryRecord): Promise<void> {
    await this.db.insert(contextSummaries).values({
      runId, tenantId, throughSeq: summary.throughSeq, fromSeq: summary.fromSeq, keptSeqs: [...summary.keptSeqs],
      droppedCount: summary.droppedCount, text: summary.text, model: summary.model,
    }).onConflictDoNothing();
  }
}
