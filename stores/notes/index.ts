// Semantic memory's storage: the store contract, its three implementations and the write/read paths.
export { createNotesStore } from './create-notes-store';
export type { NotesStoreLog, NotesStoreSetup } from './create-notes-store';
export { NotesStoreConfigError } from './notes-store-errors';
export { NoteSupersededError } from './notes-store';
export type { NoteFilter, NotesStore, NotesStoreKind, SimilarNote } from './notes-store';
export { DEFAULT_EF_SEARCH, EXACT_SEARCH_MAX_CANDIDATES, PostgresNotesStore } from './postgres-notes-store';
export type { PostgresNotesStoreOptions } from './postgres-notes-store';
export { NEVER_EXPIRES_MS, PineconeNotesStore } from './pinecone-notes-store';
export type { PineconeNotesStoreOptions } from './pinecone-notes-store';
export { PGVECTOR_FIX, ensurePgvector, pgvectorFallbackMessage } from './pgvector-setup';
export type { PgvectorStatus } from './pgvector-setup';
export { HAS_NOTES_CACHE_MS, NoteNotFoundError, SemanticMemory } from './semantic-memory';
export type { RecordNoteInput, RecordOutcome, SearchInput } from './semantic-memory';
export { NoteExtractionsRepository } from './note-extractions-repository';
