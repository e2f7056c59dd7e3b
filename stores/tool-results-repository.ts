// Recorded tool results, keyed by run and tool-call id: the record that makes tool runs idempotent.
import { and, eq } from 'drizzle-orm';
import type { Database } from './database';
import { toolResults } from './schema';

export type ToolResultRow = typeof toolResults.$inferSelect;
export type NewToolResult = typeof toolResults.$inferInsert;

export class ToolResultsRepository {
  constructor(private readonly db: Database) {}

  async get(runId: string, callId: string): Promise<ToolResultRow | undefined> {
    const rows = await this.db.select().from(toolResults)
      .where(and(eq(toolResults.runId, runId), eq(toolResults.callId, callId)));
    return rows[0];
  }

  /** First record wins: a retry that raced an earlier attempt keeps the earlier result. */
  async record(result: NewToolResult): Promise<void> {
    await this.db.insert(toolResults).values(result).onConflictDoNothing();
  }

  async forTenant(tenantId: string, runId: string, callId: string): Promise<ToolResultRow | undefined> {
    const row = await this.get(runId, callId);
    return row && row.tenantId === tenantId ? row : undefined;
  }
}
