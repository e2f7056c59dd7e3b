// Persisted run events: the durable half of the event stream (the bus carries the live half).
import { and, asc, eq, gt } from 'drizzle-orm';
import type { NewRunEvent, RunEvent } from '../core/events';
import type { Database } from './database';
import { runEvents } from './schema';

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
}

function toRunEvent(row: typeof runEvents.$inferSelect): RunEvent {
  return { id: row.id, runId: row.runId, type: row.type, data: row.data as Record<string, unknown>, at: row.createdAt.toISOString() };
}
