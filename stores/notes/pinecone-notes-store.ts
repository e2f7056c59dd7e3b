// Notes in Pinecone through the official SDK: one namespace per tenant, so a query can never reach
// another tenant's vectors; every note field rides in the vector's metadata (Pinecone has no
// nulls, so absent values are '' or 0, and "never expires" is a far-future number).
import { Pinecone, type Index, type RecordMetadata } from '@pinecone-database/pinecone';
import { z } from 'zod';
import type { EmbeddedNote, Note } from '../../core/memory';
import { NoteSupersededError, type NoteFilter, type NotesStore, type SimilarNote } from './notes-store';

/** Stands for "no expiry" in metadata filters (`expiresAt > now` holds for it). */
export const NEVER_EXPIRES_MS = 8_640_000_000_000_000;
/** Pages of fetch-by-metadata read when listing newest first (Pinecone has no ordering). */
export const LIST_MAX_PAGES = 10;
const LIST_PAGE_SIZE = 1000;

/** A note as vector metadata; read back through this schema, since the index may hold anything. */
const noteMetadataSchema = z.object({
  userId: z.string(), runId: z.string(), category: z.string(), content: z.string(), importance: z.number(), version: z.number(),
  supersedesId: z.string(), supersededBy: z.string(), createdAt: z.number(), updatedAt: z.number(), expiresAt: z.number(),
  deletedAt: z.number(), embeddingModel: z.string(),
  /** live, superseded or deleted: one field the filters can test. */
  state: z.string(),
});
type NoteMetadata = z.infer<typeof noteMetadataSchema>;

export type PineconeNotesStoreOptions = { host: string; apiKey: string; controllerHostUrl?: string; maxRetries?: number };

export class PineconeNotesStore implements NotesStore {
  readonly kind = 'pinecone' as const;
  private readonly index: Index<RecordMetadata>;

  constructor(options: PineconeNotesStoreOptions) {
    const client = new Pinecone({ apiKey: options.apiKey, ...(options.controllerHostUrl && { controllerHostUrl: options.controllerHostUrl }), maxRetries: options.maxRetries ?? 2 });
    this.index = client.index({ host: options.host });
  }

  async insert(note: EmbeddedNote, supersedesId?: string): Promise<void> {
    const namespace = this.index.namespace(note.tenantId);
    if (supersedesId) {
      // No transactions: check first, write the new version, then link the old one.
      const previous = await this.get(note.tenantId, supersedesId);
      if (!previous || previous.supersededBy !== null || previous.deletedAt !== null) throw new NoteSupersededError(note.tenantId, supersedesId);
    }
    await namespace.upsert({ records: [{ id: note.id, values: [...note.embedding], metadata: toMetadata(note) }] });
    if (supersedesId) {
      await namespace.update({ id: supersedesId, metadata: { supersededBy: note.id, updatedAt: note.createdAt.getTime(), state: 'superseded' } });
    }
  }

  async get(tenantId: string, id: string): Promise<Note | undefined> {
    const fetched = await this.index.namespace(tenantId).fetch({ ids: [id] });
    const record = fetched.records[id];
    return record?.metadata ? fromMetadata(tenantId, id, noteMetadataSchema.parse(record.metadata)) : undefined;
  }

  async search(filter: NoteFilter, vector: readonly number[], embeddingModel: string, limit: number): Promise<SimilarNote[]> {
    const result = await this.index.namespace(filter.tenantId).query({
      vector: [...vector], topK: limit, includeMetadata: true, includeValues: false,
      filter: { ...metadataFilter(filter), embeddingModel: { $eq: embeddingModel } },
    });
    return result.matches
      .filter((match) => match.metadata)
      .map((match) => ({ note: fromMetadata(filter.tenantId, match.id, noteMetadataSchema.parse(match.metadata)), similarity: match.score ?? 0 }));
  }

  async list(filter: NoteFilter, limit: number): Promise<Note[]> {
    const found: Note[] = [];
    let paginationToken: string | undefined;
    for (let page = 0; page < LIST_MAX_PAGES; page += 1) {
      const response = await this.index.namespace(filter.tenantId).fetchByMetadata({ filter: metadataFilter(filter), limit: LIST_PAGE_SIZE, paginationToken });
      for (const [id, record] of Object.entries(response.records)) {
        if (record.metadata) found.push(fromMetadata(filter.tenantId, id, noteMetadataSchema.parse(record.metadata)));
      }
      paginationToken = response.pagination?.next;
      if (!paginationToken) break;
    }
    return found.sort((left, right) => right.createdAt.getTime() - left.createdAt.getTime() || (left.id < right.id ? 1 : -1)).slice(0, limit);
  }

  async markDeleted(tenantId: string, id: string, at: Date): Promise<boolean> {
    const note = await this.get(tenantId, id);
    if (!note || note.deletedAt !== null) return false;
    await this.index.namespace(tenantId).update({ id, metadata: { deletedAt: at.getTime(), updatedAt: at.getTime(), state: 'deleted' } });
    return true;
  }

  async hasNotes(tenantId: string): Promise<boolean> {
    const stats = await this.index.describeIndexStats();
    return (stats.namespaces?.[tenantId]?.recordCount ?? 0) > 0;
  }
}

function metadataFilter(filter: NoteFilter): Record<string, unknown> {
  const conditions: Record<string, unknown> = {
    state: filter.includeHistory ? { $in: ['live', 'superseded'] } : { $eq: 'live' },
  };
  if (!filter.includeHistory) conditions.expiresAt = { $gt: filter.now.getTime() };
  if (filter.userId !== undefined) conditions.userId = { $eq: filter.userId ?? '' };
  if (filter.category !== undefined) conditions.category = { $eq: filter.category };
  return conditions;
}

function toMetadata(note: EmbeddedNote): NoteMetadata {
  return {
    userId: note.userId ?? '', runId: note.runId ?? '', category: note.category, content: note.content,
    importance: note.importance, version: note.version, supersedesId: note.supersedesId ?? '', supersededBy: note.supersededBy ?? '',
    createdAt: note.createdAt.getTime(), updatedAt: note.updatedAt.getTime(), expiresAt: note.expiresAt?.getTime() ?? NEVER_EXPIRES_MS,
    deletedAt: note.deletedAt?.getTime() ?? 0, embeddingModel: note.embeddingModel,
    state: note.deletedAt ? 'deleted' : note.supersededBy ? 'superseded' : 'live',
  };
}

function fromMetadata(tenantId: string, id: string, metadata: NoteMetadata): Note {
  return {
    id, tenantId, userId: metadata.userId || null, runId: metadata.runId || null, category: metadata.category, content: metadata.content,
    importance: metadata.importance, version: metadata.version, supersedesId: metadata.supersedesId || null, supersededBy: metadata.supersededBy || null,
    createdAt: new Date(metadata.createdAt), updatedAt: new Date(metadata.updatedAt),
    expiresAt: metadata.expiresAt >= NEVER_EXPIRES_MS ? null : new Date(metadata.expiresAt),
    deletedAt: metadata.deletedAt ? new Date(metadata.deletedAt) : null, embeddingModel: metadata.embeddingModel,
  };
}
