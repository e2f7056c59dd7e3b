// Finds out whether PostgreSQL (or PGlite) can index vectors, makes the index for the embedder's
// size, and says how to fix it when it cannot: Debian's PostgreSQL has no pgvector, so notes fall
// back to exact search there instead of failing.
import { sql } from 'drizzle-orm';
import type { Database } from '../database';

export type PgvectorStatus =
  | { available: true }
  | { available: false; reason: 'not-installed' | 'not-permitted' | 'failed'; detail: string };

export const PGVECTOR_FIX =
  'install pgvector for your PostgreSQL major (postgresql-<major>-pgvector from the PGDG apt repository, or build it from source; or run the pgvector/pgvector image) and run CREATE EXTENSION vector as a superuser, or set KEEL_NOTES_STORE=pinecone';

/** Makes sure the extension, the `note_embeddings` table and the HNSW index for `dimensions` exist. */
export async function ensurePgvector(db: Database, dimensions: number): Promise<PgvectorStatus> {
  if (!Number.isInteger(dimensions) || dimensions <= 0 || dimensions > 16_000) throw new Error(`invalid embedding dimensions ${dimensions}`);
  const available = await db.execute(sql`SELECT 1 AS one FROM pg_available_extensions WHERE name = 'vector'`);
  if (rowsOf(available).length === 0) return { available: false, reason: 'not-installed', detail: 'the vector extension is not installed on this PostgreSQL server' };
  try {
    await db.execute(sql`CREATE EXTENSION IF NOT EXISTS vector`);
  } catch (error) {
    return { available: false, reason: 'not-permitted', detail: `CREATE EXTENSION vector failed: ${(error as Error).message}` };
  }
  try {
    // API and worker start together: the advisory lock keeps their DDL from racing each other.
    await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('keel:note_embeddings'))`);
      await tx.execute(sql`CREATE TABLE IF NOT EXISTS note_embeddings (
        note_id text PRIMARY KEY NOT NULL REFERENCES notes(id),
        tenant_id text NOT NULL,
        dimensions integer NOT NULL,
        embedding vector NOT NULL)`);
      // HNSW needs a fixed size: one partial expression index per embedder size.
      await tx.execute(sql.raw(`CREATE INDEX IF NOT EXISTS note_embeddings_hnsw_${dimensions} ON note_embeddings
        USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops) WHERE dimensions = ${dimensions}`));
      await tx.execute(sql`CREATE INDEX IF NOT EXISTS note_embeddings_tenant ON note_embeddings (tenant_id)`);
      // Notes written while the extension was missing kept their vector in notes.embedding: index them now.
      await tx.execute(sql`INSERT INTO note_embeddings (note_id, tenant_id, dimensions, embedding)
        SELECT id, tenant_id, array_length(embedding, 1), embedding::vector FROM notes
        WHERE embedding IS NOT NULL AND NOT EXISTS (SELECT 1 FROM note_embeddings WHERE note_embeddings.note_id = notes.id)`);
    });
  } catch (error) {
    return { available: false, reason: 'failed', detail: `preparing the vector index failed: ${(error as Error).message}` };
  }
  return { available: true };
}

export function pgvectorFallbackMessage(status: Extract<PgvectorStatus, { available: false }>): string {
  return `notes: pgvector unavailable (${status.detail}); falling back to EXACT SEARCH over each tenant's notes (fine for thousands of notes per user, slow beyond). To fix: ${PGVECTOR_FIX}`;
}

/** node-postgres answers `{ rows }`, PGlite the same; both through drizzle's execute. */
export function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return ((result as { rows?: Array<Record<string, unknown>> }).rows) ?? [];
}
