// Recorded tool results, keyed by run and tool-call id: the record that makes tool runs idempotent
// (written with the rest of a step by step-writes-repository.ts).
import { and, eq } from 'drizzle-orm';
import type { Database } from './database';
import { toolResults } from './schema';

export type ToolResultRow = typeof toolResults.$inferSelect;

export class ToolResultsRepository {
  constructor(private readonly db: Database) {}

  async get(runId: string, callId: string): Promise<ToolResultRow | undefined> {
    const rows = await this.db.select().from(toolResults)
      .where(and(eq(toolResults.runId, runId), eq(toolResults.callId, callId)));
    return rows[0];
  }
}
