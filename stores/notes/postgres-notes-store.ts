// Notes in PostgreSQL or PGlite. With pgvector, search walks the HNSW index of `note_embeddings`;
// without it (mode `exact`), search reads the tenant's candidate rows and computes cosine
// similarity in process, which is exact and fine for thousands of notes per user.
import { and, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { EmbeddedNote, Note } from '../../core/memory';
import { cosineSimilarity } from '../../core/memory';
import type { Database } from '../database';
import { noteEmbeddings, notes } from '../schema';
import { filterConditions, toNote, toRow, whereAll } from './note-rows';
import { NoteSupersededError, type NoteFilter, type NotesStore, type SimilarNote } from './notes-store';

/** Exact search reads at most this many of the tenant's newest matching notes. */
export const EXACT_SEARCH_MAX_CANDIDATES = 5000;
/** HNSW candidate list size: higher finds more true neighbours, slower. */
export const DEFAULT_EF_SEARCH = 100;

export type PostgresNotesStoreOptions = {
  mode: 'pgvector' | 'exact';
  efSearch?: number;
  /**
   * PGlite has one session, so the search settings are set on it once (`prepareSession`); on a
   * PostgreSQL pool each search sets them locally in its own transaction.
   */
  singleSession?: boolean;
};

export class PostgresNotesStore implements NotesStore {
  readonly kind: 'pgvector' | 'exact';
  private readonly efSearch: number;
  private readonly singleSession: boolean;
  private sessionPrepared = false;

  constructor(private readonly db: Database, options: PostgresNotesStoreOptions) {
    this.kind = options.mode;
    this.efSearch = Math.max(1, Math.floor(options.efSearch ?? DEFAULT_EF_SEARCH));
    this.singleSession = options.singleSession ?? false;
  }

  async insert(note: EmbeddedNote, supersedesId?: string): Promise<void> {
    const indexed = this.kind === 'pgvector';
    if (!supersedesId && !indexed) {
      await this.db.insert(notes).values(toRow(note));
      return;
    }
    await this.db.transaction(async (tx) => {
      await tx.insert(notes).values(toRow(note));
      if (indexed) await tx.insert(noteEmbeddings).values({ noteId: note.id, tenantId: note.tenantId, dimensions: note.embedding.length, embedding: note.embedding });
      if (!supersedesId) return;
      const marked = await tx.update(notes).set({ supersededBy: note.id, updatedAt: note.createdAt })
        .where(and(eq(notes.tenantId, note.tenantId), eq(notes.id, supersedesId), isNull(notes.supersededBy), isNull(notes.deletedAt)))
        .returning({ id: notes.id });
      // Rolls the new version back: the caller re-reads and decides again.
      if (marked.length === 0) throw new NoteSupersededError(note.tenantId, supersedesId);
    });
  }

  async get(tenantId: string, id: string): Promise<Note | undefined> {
    const [row] = await this.db.select(noteColumns).from(notes).where(and(eq(notes.tenantId, tenantId), eq(notes.id, id))).limit(1);
    return row ? toNote(row) : undefined;
  }

  async search(filter: NoteFilter, vector: readonly number[], embeddingModel: string, limit: number): Promise<SimilarNote[]> {
    return this.kind === 'pgvector' ? this.searchIndex(filter, vector, embeddingModel, limit) : this.searchExact(filter, vector, embeddingModel, limit);
  }

  async list(filter: NoteFilter, limit: number): Promise<Note[]> {
    const rows = await this.db.select(noteColumns).from(notes).where(whereAll(filterConditions(filter)))
      .orderBy(desc(notes.createdAt), desc(notes.id)).limit(limit);
    return rows.map((row) => toNote(row));
  }

  async markDeleted(tenantId: string, id: string, at: Date): Promise<boolean> {
    const marked = await this.db.update(notes).set({ deletedAt: at, updatedAt: at })
      .where(and(eq(notes.tenantId, tenantId), eq(notes.id, id), isNull(notes.deletedAt))).returning({ id: notes.id });
    return marked.length > 0;
  }

  async hasNotes(tenantId: string): Promise<boolean> {
    const [row] = await this.db.select({ id: notes.id }).from(notes).where(and(eq(notes.tenantId, tenantId), isNull(notes.deletedAt))).limit(1);
    return row !== undefined;
  }

  private async searchExact(filter: NoteFilter, vector: readonly number[], embeddingModel: string, limit: number): Promise<SimilarNote[]> {
    const rows = await this.db.select().from(notes)
      .where(whereAll([...filterConditions(filter), eq(notes.embeddingModel, embeddingModel)]))
      .orderBy(desc(notes.createdAt)).limit(EXACT_SEARCH_MAX_CANDIDATES);
    return rows
      .map((row) => ({ note: toNote(row), similarity: row.embedding ? cosineSimilarity(vector, row.embedding) : 0 }))
      .sort((left, right) => right.similarity - left.similarity)
      .slice(0, limit);
  }

  private async searchIndex(filter: NoteFilter, vector: readonly number[], embeddingModel: string, limit: number): Promise<SimilarNote[]> {
    const dimensions = vector.length;
    const literal = `[${vector.join(',')}]`;
    // The cast to vector(N) on both sides is what lets the planner use the partial HNSW index.
    const distance = sql<number>`(${noteEmbeddings.embedding}::vector(${sql.raw(String(dimensions))}) <=> ${literal}::vector(${sql.raw(String(dimensions))}))`;
    const query = async (runner: Pick<Database, 'select'>) => {
      const rows = await runner.select({ ...noteColumns, distance }).from(noteEmbeddings)
        .innerJoin(notes, eq(notes.id, noteEmbeddings.noteId))
        .where(whereAll([
          eq(noteEmbeddings.tenantId, filter.tenantId), eq(noteEmbeddings.dimensions, dimensions),
          eq(notes.embeddingModel, embeddingModel), ...filterConditions(filter),
        ]))
        .orderBy(distance).limit(limit);
      return rows
        .map(({ distance: cosineDistance, ...row }) => ({ note: toNote(row), similarity: 1 - Number(cosineDistance) }))
        .sort((left, right) => right.similarity - left.similarity);
    };
    if (this.singleSession) {
      if (!this.sessionPrepared) {
        for (const statement of this.searchSettings('SET')) await this.db.execute(sql.raw(statement));
        this.sessionPrepared = true;
      }
      return query(this.db);
    }
    return this.db.transaction(async (tx) => {
      for (const statement of this.searchSettings('SET LOCAL')) await tx.execute(sql.raw(statement));
      return query(tx);
    });
  }

  /**
   * Iterative scans keep walking the graph when filters (tenant, user, category) reject candidates,
   * so a small tenant among many still gets its `limit` neighbours (pgvector 0.8).
   */
  private searchSettings(verb: 'SET' | 'SET LOCAL'): string[] {
    return [`${verb} hnsw.ef_search = ${this.efSearch}`, `${verb} hnsw.iterative_scan = relaxed_order`];
  }
}

/** Every column but the vector: listing and index search never need to ship it back. */
const { embedding: _embedding, ...noteColumns } = getTableColumns(notes);
