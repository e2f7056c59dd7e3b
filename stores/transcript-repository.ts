// The run's transcript: ordered messages (written by step-writes-repository, keyed by source).
import { and, asc, eq, gt } from 'drizzle-orm';
import { messageSchema } from '../core/message-schema';
import type { Message } from '../core/messages';
import type { Database } from './database';
import { messages } from './schema';
import { parseStoredRow } from './stored-row';

export type TranscriptEntry = { seq: number; step: number; sourceKey: string; message: Message };

export class TranscriptRepository {
  constructor(private readonly db: Database) {}

  async loadAfter(runId: string, afterSeq: number): Promise<TranscriptEntry[]> {
    const rows = await this.db
      .select({ seq: messages.seq, step: messages.step, sourceKey: messages.sourceKey, message: messages.message })
      .from(messages)
      .where(and(eq(messages.runId, runId), gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq));
    return rows.map((row) => toEntry(runId, row));
  }

  async page(tenantId: string, runId: string, afterSeq: number, limit: number): Promise<TranscriptEntry[]> {
    const rows = await this.db
      .select({ seq: messages.seq, step: messages.step, sourceKey: messages.sourceKey, message: messages.message })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.runId, runId), gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq))
      .limit(limit);
    return rows.map((row) => toEntry(runId, row));
  }
}

/** Parsed once here, when loaded: the transcript cache keeps the entries for every later step. */
function toEntry(runId: string, row: { seq: number; step: number; sourceKey: string; message: unknown }): TranscriptEntry {
  return { ...row, message: parseStoredRow(messageSchema, row.message, { table: 'messages', id: `${runId}#${row.seq}` }) };
}
