// Semantic memory's write and read paths over any NotesStore. Write: embed, find the most similar
// live note of the same tenant and user, and either supersede it (both versions kept and linked)
// or insert a new note. Read: nearest candidates, reranked by similarity, importance and recency.
import { ulid } from 'ulid';
import {
  DEFAULT_NOTE_CATEGORY, decideWrite, rankNotes,
  type Embedder, type MemorySettings, type Note, type ScoredNote,
} from '../../core/memory';
import { NoteSupersededError, type NoteFilter, type NotesStore } from './notes-store';

/** A "tenant has no notes" answer is trusted this long, so runs of note-less tenants skip recall. */
export const HAS_NOTES_CACHE_MS = 30_000;
const HAS_NOTES_CACHE_MAX = 10_000;

export type RecordNoteInput = {
  tenantId: string;
  userId?: string | null;
  runId?: string | null;
  content: string;
  category?: string;
  importance?: number;
  expiresAt?: Date | null;
  /** An earlier note this one corrects; superseded whatever the similarity. */
  supersedesId?: string;
  /** A fixed id makes the write idempotent: a note that exists already is returned as is. */
  id?: string;
};

export type RecordOutcome = {
  note: Note;
  action: 'inserted' | 'superseded' | 'existing';
  superseded: Note | null;
  /** Similarity to the superseded note, when similarity chose it. */
  similarity: number | null;
};

export type SearchInput = Omit<NoteFilter, 'now'> & { query: string; limit: number };

/** Thrown when a write names a note to supersede that the tenant does not have (or deleted). */
export class NoteNotFoundError extends Error {
  constructor(readonly tenantId: string, readonly noteId: string) {
    super(`note ${noteId} not found`);
    this.name = 'NoteNotFoundError';
  }
}

export class SemanticMemory {
  private readonly tenantsWithNotes = new Map<string, { value: boolean; until: number }>();

  constructor(
    readonly store: NotesStore,
    readonly embedder: Embedder,
    readonly settings: MemorySettings,
    private readonly clock: () => Date = () => new Date(),
    private readonly newId: () => string = () => `note_${ulid()}`,
  ) {}

  async record(input: RecordNoteInput): Promise<RecordOutcome> {
    if (input.id) {
      const existing = await this.store.get(input.tenantId, input.id);
      if (existing) return { note: existing, action: 'existing', superseded: null, similarity: null };
    }
    const [embedding] = await this.embedder.embed([input.content]);
    if (!embedding) throw new Error('the embedder returned no vector');
    const explicit = input.supersedesId ? await this.liveNote(input.tenantId, input.userId ?? null, input.supersedesId) : undefined;
    // One retry: a concurrent write may supersede our merge target between the search and the write.
    for (let attempt = 1; ; attempt += 1) {
      const now = this.clock();
      const userId = input.userId ?? null;
      const similar = explicit ? [] : await this.store.search({ tenantId: input.tenantId, userId, now }, embedding, this.embedder.model, 5);
      const category = input.category ?? DEFAULT_NOTE_CATEGORY;
      const decision = decideWrite({ content: input.content, category, importance: input.importance, expiresAt: input.expiresAt }, similar, this.settings.mergeSimilarity, explicit);
      const note: Note = {
        id: input.id ?? this.newId(), tenantId: input.tenantId, userId, runId: input.runId ?? null, category, content: input.content,
        importance: decision.importance, version: decision.version, supersedesId: decision.supersedes?.id ?? null, supersededBy: null,
        createdAt: now, updatedAt: now, expiresAt: decision.expiresAt, deletedAt: null, embeddingModel: this.embedder.model,
      };
      try {
        await this.store.insert({ ...note, embedding }, decision.supersedes?.id);
      } catch (error) {
        if (error instanceof NoteSupersededError && attempt === 1 && !explicit) continue;
        throw error;
      }
      this.tenantsWithNotes.set(input.tenantId, { value: true, until: Date.now() + HAS_NOTES_CACHE_MS });
      const superseded = decision.supersedes ? { ...decision.supersedes, supersededBy: note.id, updatedAt: now } : null;
      return { note, action: superseded ? 'superseded' : 'inserted', superseded, similarity: decision.action === 'supersede' ? decision.similarity : null };
    }
  }

  /** The best `limit` notes for a query: `searchCandidates` nearest neighbours, reranked. */
  async search(input: SearchInput): Promise<ScoredNote[]> {
    const now = this.clock();
    const [vector] = await this.embedder.embed([input.query]);
    if (!vector) throw new Error('the embedder returned no vector');
    const { query: _query, limit, ...filter } = input;
    const candidates = await this.store.search({ ...filter, now }, vector, this.embedder.model, Math.max(limit, this.settings.searchCandidates));
    return rankNotes(candidates, now, this.settings, limit);
  }

  list(filter: Omit<NoteFilter, 'now'>, limit: number): Promise<Note[]> {
    return this.store.list({ ...filter, now: this.clock() }, limit);
  }

  get(tenantId: string, id: string): Promise<Note | undefined> {
    return this.store.get(tenantId, id);
  }

  /**
   * Deletes a fact: the named version and the versions it superseded are marked deleted (kept for
   * audit, never recalled). A newer version, if any, is a different statement and stays.
   */
  async delete(tenantId: string, id: string): Promise<Note[]> {
    const at = this.clock();
    const deleted: Note[] = [];
    let current = await this.store.get(tenantId, id);
    while (current && current.deletedAt === null) {
      if (await this.store.markDeleted(tenantId, current.id, at)) deleted.push({ ...current, deletedAt: at, updatedAt: at });
      current = current.supersedesId ? await this.store.get(tenantId, current.supersedesId) : undefined;
    }
    this.tenantsWithNotes.delete(tenantId);
    return deleted;
  }

  /** Cached: a run's first step asks this before spending an embedding on recall. */
  async hasNotes(tenantId: string): Promise<boolean> {
    const cached = this.tenantsWithNotes.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await this.store.hasNotes(tenantId);
    if (this.tenantsWithNotes.size >= HAS_NOTES_CACHE_MAX) this.tenantsWithNotes.clear();
    this.tenantsWithNotes.set(tenantId, { value, until: Date.now() + HAS_NOTES_CACHE_MS });
    return value;
  }

  /** Another user's note is as invisible to a write as another tenant's. */
  private async liveNote(tenantId: string, userId: string | null, id: string): Promise<Note> {
    const note = await this.store.get(tenantId, id);
    if (!note || note.deletedAt !== null || note.userId !== userId) throw new NoteNotFoundError(tenantId, id);
    if (note.supersededBy !== null) throw new NoteSupersededError(tenantId, id);
    return note;
  }
}
