// The contract every notes store keeps (pgvector, exact search on plain PostgreSQL, Pinecone):
// tenant-scoped writes that link versions, nearest-neighbour search with filters, newest-first
// listing. The write and read policy lives above it (semantic-memory.ts, core/memory).
import type { EmbeddedNote, Note } from '../../core/memory';

export type NotesStoreKind = 'pgvector' | 'exact' | 'pinecone';

export type NoteFilter = {
  tenantId: string;
  /** Undefined: any user of the tenant; null: tenant-wide notes only. */
  userId?: string | null;
  category?: string;
  /** Also superseded and expired versions (never deleted ones). */
  includeHistory?: boolean;
  /** Expiry is judged against this instant. */
  now: Date;
};

export type SimilarNote = { note: Note; similarity: number };

/** Thrown when the note a write supersedes was superseded (or deleted) by another write first. */
export class NoteSupersededError extends Error {
  constructor(readonly tenantId: string, readonly noteId: string) {
    super(`note ${noteId} was superseded or deleted by another write`);
    this.name = 'NoteSupersededError';
  }
}

export interface NotesStore {
  readonly kind: NotesStoreKind;
  /**
   * Writes a note; with `supersedesId`, marks that note superseded by this one in the same step
   * (a transaction where the store has them). Throws NoteSupersededError when it no longer is the latest.
   */
  insert(note: EmbeddedNote, supersedesId?: string): Promise<void>;
  /** Any version of the tenant's note, deleted ones included; another tenant's id is undefined. */
  get(tenantId: string, id: string): Promise<Note | undefined>;
  /** The `limit` nearest notes to `vector` written by `embeddingModel`, most similar first. */
  search(filter: NoteFilter, vector: readonly number[], embeddingModel: string, limit: number): Promise<SimilarNote[]>;
  /** Newest first. */
  list(filter: NoteFilter, limit: number): Promise<Note[]>;
  /** Marks the note deleted; false when the tenant has no such live-or-superseded note. */
  markDeleted(tenantId: string, id: string, at: Date): Promise<boolean>;
  /** Whether the tenant has any note that is not deleted (cheap: one index probe). */
  hasNotes(tenantId: string): Promise<boolean>;
}
