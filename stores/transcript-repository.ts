// The run's transcript: ordered messages (written by step-writes-repository, keyed by source). A
// fork's transcript is read through its ancestry: each ancestor's rows up to the seq the fork took
// (runs.forked_through_seq), then the fork's own rows, which are numbered after it.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { messageSchema } from '../core/message-schema';
import type { Message } from '../core/messages';
import type { Database } from './database';
import { runAncestry } from './run-ancestry';
import { parseStoredRow } from './stored-row';

/** `inheritedFrom`: the ancestor run whose row this is, when the run is a fork and the row is not its own. */
export type TranscriptEntry = { seq: number; step: number; sourceKey: string; message: Message; inheritedFrom?: string };

const transcriptRowsSchema = z.object({
  rows: z.array(z.object({
    seq: z.coerce.number(),
    step: z.coerce.number(),
    source_key: z.string(),
    message: z.unknown(),
    run_id: z.string(),
    instructions: z.string().nullable(),
  })),
});

export class TranscriptRepository {
  constructor(private readonly db: Database) {}

  async loadAfter(runId: string, afterSeq: number): Promise<TranscriptEntry[]> {
    return this.read(runId, undefined, afterSeq, sql``);
  }

  async page(tenantId: string, runId: string, afterSeq: number, limit: number): Promise<TranscriptEntry[]> {
    return this.read(runId, tenantId, afterSeq, sql`LIMIT ${limit}`);
  }

  /**
   * One statement for a run and its ancestors (run-ancestry.ts): all of the run's own rows, and of
   * each ancestor the rows up to the seq its descendant forked at. A fork's replacement system
   * prompt (the nearest in the chain) stands in for the inherited system message.
   */
  private async read(runId: string, tenantId: string | undefined, afterSeq: number, limit: SQL): Promise<TranscriptEntry[]> {
    const result = await this.db.execute(sql`
      ${runAncestry(runId, tenantId)}
      SELECT m.seq, m.step, m.source_key, m.message, m.run_id,
             (SELECT fork_instructions FROM chain WHERE fork_instructions IS NOT NULL ORDER BY depth LIMIT 1) AS instructions
      FROM chain JOIN messages m ON m.run_id = chain.id AND m.seq > ${afterSeq} AND m.seq <= chain.upto_seq
      ORDER BY m.seq
      ${limit}`);
    const { rows } = parseStoredRow(transcriptRowsSchema, result, { table: 'messages', id: `transcript of ${runId}` });
    return rows.map((row) => {
      const inherited = row.run_id !== runId;
      const entry = toEntry(row.run_id, { seq: row.seq, step: row.step, sourceKey: row.source_key, message: row.message });
      if (!inherited) return entry;
      const message: Message = entry.sourceKey === 'system' && row.instructions !== null ? { type: 'system', text: row.instructions } : entry.message;
      return { ...entry, message, inheritedFrom: row.run_id };
    });
  }
}

/** Parsed once here, when loaded: the transcript cache keeps the entries for every later step. */
function toEntry(runId: string, row: { seq: number; step: number; sourceKey: string; message: unknown }): TranscriptEntry {
  return { ...row, message: parseStoredRow(messageSchema, row.message, { table: 'messages', id: `${runId}#${row.seq}` }) };
}
