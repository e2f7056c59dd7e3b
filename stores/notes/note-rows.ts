// Maps notes between the domain shape and PostgreSQL rows, and turns a NoteFilter into conditions.
import { and, eq, gt, isNull, or, type SQL } from 'drizzle-orm';
import type { EmbeddedNote, Note } from '../../core/memory';
import { notes } from '../schema';
import type { NoteFilter } from './notes-store';

export type NoteRow = typeof notes.$inferSelect;

export function toNote(row: Omit<NoteRow, 'embedding'>): Note {
  return {
    id: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    runId: row.runId,
    category: row.category,
    content: row.content,
    importance: row.importance,
    version: row.version,
    supersedesId: row.supersedesId,
    supersededBy: row.supersededBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    expiresAt: row.expiresAt,
    deletedAt: row.deletedAt,
    embeddingModel: row.embeddingModel ?? '',
  };
}

export function toRow(note: EmbeddedNote): typeof notes.$inferInsert {
  return {
    id: note.id,
    tenantId: note.tenantId,
    userId: note.userId,
    runId: note.runId,
    category: note.category,
    content: note.content,
    // A PostgreSQL real: a double it cannot hold (1e-81 underflows) is rounded to the nearest float4.
    importance: Math.fround(note.importance),
    version: note.version,
    supersedesId: note.supersedesId,
    supersededBy: note.supersededBy,
    createdAt: note.createdAt,
    updatedAt: note.updatedAt,
    expiresAt: note.expiresAt,
    deletedAt: note.deletedAt,
    embedding: note.embedding,
    embeddingModel: note.embeddingModel,
  };
}

/** Tenant always; deleted never; superseded and expired only for history. */
export function filterConditions(filter: NoteFilter): SQL[] {
  const conditions: SQL[] = [eq(notes.tenantId, filter.tenantId), isNull(notes.deletedAt)];
  if (filter.userId === null) conditions.push(isNull(notes.userId));
  else if (filter.userId !== undefined) conditions.push(eq(notes.userId, filter.userId));
  if (filter.category !== undefined) conditions.push(eq(notes.category, filter.category));
  if (!filter.includeHistory) {
    conditions.push(isNull(notes.supersededBy));
    const notExpired = or(isNull(notes.expiresAt), gt(notes.expiresAt, filter.now));
    if (notExpired) conditions.push(notExpired);
  }
  return conditions;
}

export function whereAll(conditions: SQL[]): SQL | undefined {
  return and(...conditions);
}
