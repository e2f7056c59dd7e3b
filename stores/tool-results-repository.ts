// Recorded tool results, keyed by run and execution key: the record that makes tool runs idempotent
// (written with the rest of a step by step-writes-repository.ts) and the full outputs that
// `read_tool_output` pages through.
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

  /** The full output of one of the run's tool calls; confined to the tenant and the run. */
  async readOutput(scope: { tenantId: string; runId: string }, reference: string): Promise<{ toolName: string; output: string } | undefined> {
    const rows = await this.db.select({ toolName: toolResults.toolName, output: toolResults.output }).from(toolResults)
      .where(and(eq(toolResults.runId, scope.runId), eq(toolResults.tenantId, scope.tenantId), eq(toolResults.callId, reference)));
    return rows[0];
  }
}
