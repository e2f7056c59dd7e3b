// Plain note storage behind NotesPort: insert and a case-insensitive word search.
// Semantic memory (embeddings, dedupe, decay) replaces the recall strategy later.
import { and, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import { ulid } from 'ulid';
import type { NoteInput, NoteRecord, NotesPort } from '../tools/types';
import type { Database } from './database';
import { notes } from './schema';

export const DEFAULT_NOTE_IMPORTANCE = 0.5;
export const DEFAULT_NOTE_CATEGORY = 'general';

export class NotesRepository implements NotesPort {
  constructor(private readonly db: Database) {}

  async record(scope: { tenantId: string; userId?: string; runId?: string }, note: NoteInput): Promise<NoteRecord> {
    const [row] = await this.db.insert(notes).values({
      id: `note_${ulid()}`,
      tenantId: scope.tenantId,
      userId: scope.userId ?? null,
      runId: scope.runId ?? null,
      category: note.category ?? DEFAULT_NOTE_CATEGORY,
      content: note.content,
      importance: note.importance ?? DEFAULT_NOTE_IMPORTANCE,
    }).returning();
    if (!row) throw new Error('note insert returned no row');
    return toRecord(row);
  }

  async recall(scope: { tenantId: string; userId?: string }, query: string, limit: number): Promise<NoteRecord[]> {
    const words = query.split(/\s+/).filter((word) => word.length > 1).slice(0, 10);
    const conditions: SQL[] = [eq(notes.tenantId, scope.tenantId)];
    if (words.length > 0) {
      const matches = words.map((word) => ilike(notes.content, `%${escapeLike(word)}%`));
      const anyWord = or(...matches);
      if (anyWord) conditions.push(anyWord);
    }
    const rows = await this.db.select().from(notes).where(and(...conditions))
      .orderBy(desc(notes.importance), desc(notes.createdAt)).limit(limit);
    return rows.map(toRecord);
  }

}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function toRecord(row: typeof notes.$inferSelect): NoteRecord {
  return { id: row.id, content: row.content, category: row.category, importance: row.importance, createdAt: row.createdAt.toISOString() };
}
