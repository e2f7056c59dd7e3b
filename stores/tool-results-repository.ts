// Recorded tool results, keyed by run and execution key: the record that makes tool runs idempotent
// (written with the rest of a step by step-writes-repository.ts) and the full outputs that
// `read_tool_output` pages through (a fork's, through its parents' too: run-ancestry.ts).
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from './database';
import { toolResults } from './schema';
import { runAncestry } from './run-ancestry';
import { parseStoredRow } from './stored-row';

/** A tool result's metadata (safety verdict, review, side effects...): an object, or null when it had none. */
const metadataSchema = z.record(z.string(), z.unknown()).nullable();

const referencesSchema = z.object({ rows: z.array(z.object({ reference: z.string() })) });
const outputsSchema = z.object({ rows: z.array(z.object({ tool_name: z.string(), output: z.string() })) });

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
   * and events carry the model's call id, not the index. A fork's inherited steps are its parents'.
   */
  async referenceOf(scope: { tenantId: string; runId: string }, step: number, callId: string): Promise<string | undefined> {
    // Only letters, digits, _ and - remain: nothing in it means anything to a regular expression.
    const key = new RegExp(`^s${step}_\\d+_${callId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 80)}$`);
    const result = await this.db.execute(sql`
      ${runAncestry(scope.runId, scope.tenantId)}
      SELECT t.call_id AS reference FROM chain JOIN tool_results t ON t.run_id = chain.id AND t.step = ${step} AND t.step <= chain.upto_step
      ORDER BY chain.depth`);
    return parseStoredRow(referencesSchema, result, { table: 'tool_results', id: `references of ${scope.runId}` }).rows
      .map((row) => row.reference).find((reference) => key.test(reference));
  }

  /** The full output of one of the run's tool calls (a fork's: or of its parents' calls it inherited); confined to the tenant. */
  async readOutput(scope: { tenantId: string; runId: string }, reference: string): Promise<{ toolName: string; output: string } | undefined> {
    const result = await this.db.execute(sql`
      ${runAncestry(scope.runId, scope.tenantId)}
      SELECT t.tool_name, t.output FROM chain JOIN tool_results t ON t.run_id = chain.id AND t.call_id = ${reference} AND t.step <= chain.upto_step
      ORDER BY chain.depth LIMIT 1`);
    const [row] = parseStoredRow(outputsSchema, result, { table: 'tool_results', id: `${scope.runId}/${reference}` }).rows;
    return row && { toolName: row.tool_name, output: row.output };
  }
}
