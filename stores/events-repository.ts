// Persisted run events: the durable half of the event stream (the bus carries the live half).
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { RunEventSchema, type NewRunEvent, type RunEvent } from '../core/events';
import type { Database } from './database';
import { runEvents } from './schema';
import { parseStoredRow } from './stored-row';

export class EventsRepository {
  constructor(private readonly db: Database) {}

  /** Stores events in order and returns them with ids; an event whose dedupe key exists is dropped. */
  async append(runId: string, tenantId: string, events: NewRunEvent[]): Promise<RunEvent[]> {
    if (events.length === 0) return [];
    const rows = await this.db
      .insert(runEvents)
      .values(events.map((event) => ({ runId, tenantId, type: event.type, data: event.data, dedupeKey: event.dedupeKey ?? null })))
      .onConflictDoNothing()
      .returning();
    return rows.map(toRunEvent);
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
