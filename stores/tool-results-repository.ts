// Recorded tool results, keyed by run and execution key: the record that makes tool runs idempotent
// (written with the rest of a step by step-writes-repository.ts) and the full outputs that
// `read_tool_output` pages through.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from './database';
import { toolResults } from './schema';
import { parseStoredRow } from './stored-row';

/** A tool result's metadata (safety verdict, review, side effects...): an object, or null when it had none. */
const metadataSchema = z.record(z.string(), z.unknown()).nullable();

export type ToolResultRow = Omit<typeof toolResults.$inferSelect, 'metadata'> & { metadata: z.output<typeof metadataSchema> };

export class ToolResultsRepository {
  constructor(private readonly db: Database) {}

  async get(runId: string, callId: string): Promise<ToolResultRow | undefined> {
    const rows = await this.db.select().from(toolResults)
      .where(and(eq(toolResults.runId, runId), eq(toolResults.callId, callId)));
    const [row] = rows;
    return row && { ...row, metadata: parseStoredRow(metadataSchema, row.metadata, { table: 'tool_results', id: `${runId}/${callId}` }) };
  }

  /**
   * The reference (execution key) of the call the model named `callId` at `step`: keys are
   * `s<step>_<index>_<callId without unsafe characters>` (activities/tool-turn/tool-execution.ts),
   * and events carry the model's call id, not the index.
   */
  async referenceOf(scope: { tenantId: string; runId: string }, step: number, callId: string): Promise<string | undefined> {
    // Only letters, digits, _ and - remain: nothing in it means anything to a regular expression.
    const key = new RegExp(`^s${step}_\\d+_${callId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 80)}$`);
    const rows = await this.db.select({ reference: toolResults.callId }).from(toolResults)
      .where(and(eq(toolResults.runId, scope.runId), eq(toolResults.tenantId, scope.tenantId), eq(toolResults.step, step)));
    return rows.map((row) => row.reference).find((reference) => key.test(reference));
  }

  /** The full output of one of the run's tool calls; confined to the tenant and the run. */
  async readOutput(scope: { tenantId: string; runId: string }, reference: string): Promise<{ toolName: string; output: string } | undefined> {
    const rows = await this.db.select({ toolName: toolResults.toolName, output: toolResults.output }).from(toolResults)
      .where(and(eq(toolResults.runId, scope.runId), eq(toolResults.tenantId, scope.tenantId), eq(toolResults.callId, reference)));
    return rows[0];
  }
}
