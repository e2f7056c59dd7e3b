// A step's writes in one statement (one round trip, one transaction): transcript rows, tool
// results, events and the run's progress. Each part is idempotent (keys and ON CONFLICT), so a
// retried step can commit the same batch again.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { NewRunEvent, RunEvent } from '../core/events';
import type { Usage } from '../core/messages';
import { MODEL_CALL_PURPOSES, usageKey } from '../core/model-call-purposes';
import type { RunStatus } from '../core/run-status';
import type { Database } from './database';
import { toRunEvent } from './events-repository';
import { parseStoredRow } from './stored-row';
import type { TranscriptEntry } from './transcript-repository';

/** The batch statement's one row: counts (PGlite and pg differ in how they type them) and the events it stored. */
const stepWriteResultSchema = z.object({
  rows: z.array(z.looseObject({
    inserted_messages: z.coerce.number(),
    previous_event_id: z.coerce.number(),
    events: z.array(z.object({ id: z.coerce.number(), type: z.string(), data: z.unknown(), at: z.string() })),
  })),
});

export type ToolResultWrite = {
  callId: string;
  step: number;
  toolName: string;
  arguments: Record<string, unknown>;
  output: string;
  /** What the transcript shows instead of an oversized output (summary and reference line). */
  contextOutput?: string;
  isError: boolean;
  metadata?: Record<string, unknown>;
  startedAt: Date;
  finishedAt: Date;
};

/** The usage ledger's row for the step's answered model call (purpose `step`; `costUsd` null when unpriced). */
export type ModelUsageWrite = { step: number; model: string; usage: Usage; costUsd: number | null };

export type StepWriteBatch = {
  messages?: TranscriptEntry[];
  toolResults?: ToolResultWrite[];
  /** Events in order; `at` keeps the moment something happened when it is written later. */
  events?: Array<NewRunEvent & { at?: Date }>;
  modelUsage?: ModelUsageWrite;
  /** The workspace as the step's tool calls left it (activities/tool-turn/snapshots/step-snapshots.ts), for forks. */
  stepSnapshot?: StepSnapshotWrite;
  /** The run's totals after this step; `costUsd` left out keeps the stored cost. */
  /** `output`: a run with an output schema, its final answer as parsed JSON once one validated. */
  progress?: { status: RunStatus; step: number; usage: Usage; costUsd?: number; output?: unknown };
};

/** A step snapshot's row: where its manifest is and whether it is whole. */
export type StepSnapshotWrite = { step: number; manifestRef: string; entries: number; unrestorable: string[]; truncated: boolean };

/** `previousEventId`: the run's last event stored before these (0 for none), so a stream can tell it missed nothing. */
export type StepWriteResult = { insertedMessages: number; events: RunEvent[]; previousEventId: number };

export class StepWritesRepository {
  constructor(private readonly db: Database) {}

  async commit(runId: string, tenantId: string, batch: StepWriteBatch): Promise<StepWriteResult> {
    const messages = (batch.messages ?? []).map((entry) => ({ seq: entry.seq, step: entry.step, source_key: entry.sourceKey, message: entry.message }));
    const toolResults = (batch.toolResults ?? []).map((result) => ({
      call_id: result.callId, step: result.step, tool_name: result.toolName, arguments: result.arguments, output: result.output, context_output: result.contextOutput ?? null,
      is_error: result.isError, metadata: result.metadata ?? null, started_at: result.startedAt.toISOString(), finished_at: result.finishedAt.toISOString(),
    }));
    const events = (batch.events ?? []).map((event, position) => ({
      position, type: event.type, data: event.data, dedupe_key: event.dedupeKey ?? null, at: (event.at ?? new Date()).toISOString(),
    }));
    const progress = batch.progress;
    const usage = batch.modelUsage
      ? [{
          usage_key: usageKey({ runId, step: batch.modelUsage.step, purpose: MODEL_CALL_PURPOSES.step }),
          step: batch.modelUsage.step, model: batch.modelUsage.model, cost_usd: batch.modelUsage.costUsd,
          input_tokens: batch.modelUsage.usage.inputTokens, output_tokens: batch.modelUsage.usage.outputTokens,
          cached_input_tokens: batch.modelUsage.usage.cachedInputTokens ?? 0, reasoning_tokens: batch.modelUsage.usage.reasoningTokens ?? 0,
        }]
      : [];
    const snapshots = batch.stepSnapshot
      ? [{ step: batch.stepSnapshot.step, manifest_ref: batch.stepSnapshot.manifestRef, entries: batch.stepSnapshot.entries, unrestorable: batch.stepSnapshot.unrestorable, truncated: batch.stepSnapshot.truncated }]
      : [];
    const query = sql`
      WITH new_messages AS (
        INSERT INTO messages (run_id, tenant_id, seq, step, source_key, message)
        SELECT ${runId}, ${tenantId}, m.seq, m.step, m.source_key, m.message
        FROM jsonb_to_recordset(${JSON.stringify(messages)}::jsonb) AS m(seq integer, step integer, source_key text, message jsonb)
        ON CONFLICT DO NOTHING
        RETURNING seq
      ), new_tool_results AS (
        INSERT INTO tool_results (run_id, call_id, tenant_id, step, tool_name, arguments, output, context_output, is_error, metadata, started_at, finished_at)
        SELECT ${runId}, t.call_id, ${tenantId}, t.step, t.tool_name, t.arguments, t.output, t.context_output, t.is_error, t.metadata, t.started_at, t.finished_at
        FROM jsonb_to_recordset(${JSON.stringify(toolResults)}::jsonb)
          AS t(call_id text, step integer, tool_name text, arguments jsonb, output text, context_output text, is_error boolean, metadata jsonb, started_at timestamptz, finished_at timestamptz)
        ON CONFLICT DO NOTHING
        RETURNING call_id
      ), new_events AS (
        INSERT INTO run_events (run_id, tenant_id, type, data, dedupe_key, created_at)
        SELECT ${runId}, ${tenantId}, e.type, e.data, e.dedupe_key, e.at
        FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS e(position integer, type text, data jsonb, dedupe_key text, at timestamptz)
        ORDER BY e.position
        ON CONFLICT DO NOTHING
        RETURNING id, type, data, created_at
      ), new_usage AS (
        INSERT INTO model_usage (usage_key, run_id, step, tenant_id, user_id, purpose, model, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd)
        SELECT u.usage_key, ${runId}, u.step, ${tenantId}, (SELECT user_id FROM runs WHERE id = ${runId}), ${MODEL_CALL_PURPOSES.step}, u.model,
          u.input_tokens, u.output_tokens, u.cached_input_tokens, u.reasoning_tokens, u.cost_usd
        FROM jsonb_to_recordset(${JSON.stringify(usage)}::jsonb)
          AS u(usage_key text, step integer, model text, input_tokens integer, output_tokens integer, cached_input_tokens integer, reasoning_tokens integer, cost_usd double precision)
        ON CONFLICT DO NOTHING
        RETURNING step
      ), new_step_snapshot AS (
        INSERT INTO step_snapshots (run_id, step, tenant_id, manifest_ref, entries, unrestorable, truncated)
        SELECT ${runId}, s.step, ${tenantId}, s.manifest_ref, s.entries, s.unrestorable, s.truncated
        FROM jsonb_to_recordset(${JSON.stringify(snapshots)}::jsonb) AS s(step integer, manifest_ref text, entries integer, unrestorable jsonb, truncated boolean)
        ON CONFLICT DO NOTHING
        RETURNING step
      ), progress AS (
        UPDATE runs SET status = ${progress?.status ?? 'running'}, step = ${progress?.step ?? 0},
          usage = ${JSON.stringify(progress?.usage ?? {})}::jsonb, updated_at = now(),
          cost_usd = coalesce(${progress?.costUsd ?? null}::double precision, cost_usd),
          output = CASE WHEN ${progress?.output !== undefined} THEN ${progress?.output === undefined ? null : JSON.stringify(progress.output)}::jsonb ELSE output END
        WHERE id = ${runId} AND ${progress !== undefined}
        RETURNING 1
      )
      SELECT (SELECT count(*)::int FROM new_messages) AS inserted_messages,
             -- The statement's snapshot: the run's events before this batch's own.
             (SELECT coalesce(max(id), 0) FROM run_events WHERE run_id = ${runId}) AS previous_event_id,
             (SELECT count(*)::int FROM new_tool_results) AS inserted_tool_results,
             (SELECT count(*)::int FROM progress) AS progressed,
             (SELECT count(*)::int FROM new_usage) AS inserted_usage,
             (SELECT count(*)::int FROM new_step_snapshot) AS inserted_step_snapshots,
             coalesce((SELECT jsonb_agg(jsonb_build_object('id', id, 'type', type, 'data', data, 'at', created_at) ORDER BY id) FROM new_events), '[]'::jsonb) AS events`;
    const [row] = parseStoredRow(stepWriteResultSchema, await this.db.execute(query), { table: 'run_events', id: `step batch of ${runId}` }).rows;
    if (!row) throw new Error('step write returned no row');
    return {
      insertedMessages: row.inserted_messages,
      previousEventId: row.previous_event_id,
      events: row.events.map((event) => toRunEvent({ id: event.id, runId, type: event.type, data: event.data, createdAt: new Date(event.at) })),
    };
  }
}
