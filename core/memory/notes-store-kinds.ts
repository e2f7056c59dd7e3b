// The notes stores Keel can be configured with (KEEL_NOTES_STORE), apart so the environment schema
// can name them without importing memory's config reader.
export const NOTES_STORE_KINDS = ['pgvector', 'exact', 'pinecone'] as const;
export type NotesStoreKind = (typeof NOTES_STORE_KINDS)[number];
