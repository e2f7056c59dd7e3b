// pgvector set-up: the start-up message names the fix when the extension is missing, and notes
// written without the index (exact mode) are indexed when pgvector becomes available.
import { LocalEmbedder } from '../../../providers/embeddings';
import { openDatabase, type DatabaseHandle } from '../../../stores/database';
import { applyMigrations } from '../../../stores/migrate';
import { ensurePgvector, pgvectorFallbackMessage, PostgresNotesStore } from '../../../stores/notes';
import { TenantsRepository } from '../../../stores/tenants-repository';
import { testDatabaseUrl } from '../../support/keel-harness';

const embedder = new LocalEmbedder(384);

describe('pgvector set-up', () => {
  it('reports the missing extension on PostgreSQL without pgvector, with how to fix it', async () => {
    const database = await openDatabase({ databaseUrl: testDatabaseUrl(), poolSize: 2 });
    try {
      const status = await ensurePgvector(database.db, 384);
      expect(status).toMatchObject({ available: false, reason: 'not-installed' });
      if (status.available) return;
      const message = pgvectorFallbackMessage(status);
      expect(message).toContain('EXACT SEARCH');
      expect(message).toMatch(/install pgvector.*CREATE EXTENSION vector.*KEEL_NOTES_STORE=pinecone/);
    } finally {
      await database.close();
    }
  });

  it('indexes notes written in exact mode once pgvector is there', async () => {
    const database: DatabaseHandle = await openDatabase({ pgliteDir: 'memory://' });
    try {
      await applyMigrations(database);
      await new TenantsRepository(database.db).ensureTenant('t_backfill', 'backfill');
      const now = new Date('2026-05-01T00:00:00Z');
      const exact = new PostgresNotesStore(database.db, { mode: 'exact' });
      const content = 'The nightly job writes to the data lake.';
      const [embedding] = await embedder.embed([content]);
      await exact.insert({
        id: 'note_backfill', tenantId: 't_backfill', userId: 'u', runId: null, category: 'general', content, importance: 0.5, version: 1,
        supersedesId: null, supersededBy: null, createdAt: now, updatedAt: now, expiresAt: null, deletedAt: null, embeddingModel: embedder.model, embedding: embedding!,
      });
      const indexed = new PostgresNotesStore(database.db, { mode: 'pgvector', singleSession: true });
      const search = () => indexed.search({ tenantId: 't_backfill', now }, embedding!, embedder.model, 5);
      expect(await search()).toEqual([]);
      expect(await ensurePgvector(database.db, 384)).toEqual({ available: true });
      expect((await search()).map((hit) => hit.note.id)).toEqual(['note_backfill']);
    } finally {
      await database.close();
    }
  });
});
