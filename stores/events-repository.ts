// Persisted run events: the durable half of the event stream (the bus carries the live half).
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { RunEventSchema, type NewRunEvent, type RunEvent } from '../core/events';
import type { Database } from './database';
import { runEvents } from './schema';
import { parseStoredRow } from './stored-row';

export type AppendedEvents = { events: RunEvent[]; previousId: number };

/** The append statement's one row (PGlite and pg type counts differently, hence the coercion). */
const appendResultSchema = z.object({
  rows: z.array(z.looseObject({
    previous_id: z.coerce.number(),
    events: z.array(z.object({ id: z.coerce.number(), type: z.string(), data: z.unknown(), at: z.string() })),
  })),
});

export class EventsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores events in order and returns them with ids; an event whose dedupe key exists is dropped.
   * `previousId` is the run's last event stored before them (0 for none), read in the same statement.
   */
  async append(runId: string, tenantId: string, events: NewRunEvent[]): Promise<AppendedEvents> {
    if (events.length === 0) return { events: [], previousId: 0 };
    const rows = events.map((event, position) => ({ position, type: event.type, data: event.data, dedupe_key: event.dedupeKey ?? null }));
    const result = await this.db.execute(sql`
      WITH new_events AS (
        INSERT INTO run_events (run_id, tenant_id, type, data, dedupe_key)
        SELECT ${runId}, ${tenantId}, e.type, e.data, e.dedupe_key
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS e(position integer, type text, data jsonb, dedupe_key text)
        ORDER BY e.position
        ON CONFLICT DO NOTHING
        RETURNING id, type, data, created_at
      )
      SELECT (SELECT coalesce(max(id), 0) FROM run_events WHERE run_id = ${runId}) AS previous_id,
             coalesce((SELECT jsonb_agg(jsonb_build_object('id', id, 'type', type, 'data', data, 'at', created_at) ORDER BY id) FROM new_events), '[]'::jsonb) AS events`);
    const [row] = parseStoredRow(appendResultSchema, result, { table: 'run_events', id: `append to ${runId}` }).rows;
    if (!row) throw new Error('event append returned no row');
    return {
      events: row.events.map((event) => toRunEvent({ id: event.id, runId, type: event.type, data: event.data, createdAt: new Date(event.at) })),
      previousId: row.previous_id,
    };
  }

  async listAfter(tenantId: string, runId: string, afterId: number, limit = 1000): Promise<RunEvent[]> {
    const rows = await this.db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.tenantId, tenantId), eq(runEvents.runId, runId), gt(runEvents.id, afterId)))
      .orderBy(asc(runEvents.id))
      .limit(limit);
    return rows.map(toRunEvent);
  }

  /** A run's events with these dedupe keys (at most one each), oldest first: lets a retried activity return what it recorded. */
  async findByDedupeKeys(runId: string, dedupeKeys: readonly string[]): Promise<Array<RunEvent & { dedupeKey: string }>> {
    if (dedupeKeys.length === 0) return [];
    const rows = await this.db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), inArray(runEvents.dedupeKey, [...dedupeKeys])))
      .orderBy(asc(runEvents.id));
    return rows.map((row) => ({ ...toRunEvent(row), dedupeKey: row.dedupeKey ?? '' }));
  }
}

/** A stored event through its type's schema (shared with the step batch's RETURNING rows). */
export function toRunEvent(row: { id: number; runId: string; type: string; data: unknown; createdAt: Date }): RunEvent {
  return parseStoredRow(RunEventSchema, { id: row.id, runId: row.runId, type: row.type, data: row.data, at: row.createdAt.toISOString() }, { table: 'run_events', id: row.id });
}
