// The run's transcript: ordered messages, appended idempotently (each write has a source key).
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Message } from '../core/messages';
import type { Database } from './database';
import { messages } from './schema';

export type TranscriptEntry = { seq: number; step: number; sourceKey: string; message: Message };

export class TranscriptRepository {
  constructor(private readonly db: Database) {}

  /**
   * Appends entries with consecutive seqs. Returns how many were inserted: fewer than given means
   * another attempt wrote first (same source key or seq), and the caller must reload.
   */
  async append(runId: string, tenantId: string, entries: TranscriptEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const inserted = await this.db
      .insert(messages)
      .values(entries.map((entry) => ({ runId, tenantId, seq: entry.seq, step: entry.step, sourceKey: entry.sourceKey, message: entry.message })))
      .onConflictDoNothing()
      .returning({ seq: messages.seq });
    return inserted.length;
  }

  async loadAfter(runId: string, afterSeq: number): Promise<TranscriptEntry[]> {
    const rows = await this.db
      .select({ seq: messages.seq, step: messages.step, sourceKey: messages.sourceKey, message: messages.message })
      .from(messages)
      .where(and(eq(messages.runId, runId), gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq));
    return rows.map((row) => ({ ...row, message: row.message as Message }));
  }

  async page(tenantId: string, runId: string, afterSeq: number, limit: number): Promise<TranscriptEntry[]> {
    const rows = await this.db
      .select({ seq: messages.seq, step: messages.step, sourceKey: messages.sourceKey, message: messages.message })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.runId, runId), gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq))
      .limit(limit);
    return rows.map((row) => ({ ...row, message: row.message as Message }));
  }
}
