// Picks the notes store the configuration asks for: pgvector (falling back to exact search, with a
// warning that says how to fix it, when the extension is missing), exact search, or Pinecone.
import type { NotesStoreKind as ConfiguredStore } from '../../core/memory/memory-config';
import type { Database } from '../database';
import { NotesStoreConfigError } from './notes-store-errors';
import type { NotesStore } from './notes-store';
import { PineconeNotesStore } from './pinecone-notes-store';
import { ensurePgvector, pgvectorFallbackMessage } from './pgvector-setup';
import { PostgresNotesStore } from './postgres-notes-store';

export type NotesStoreSetup = {
  store: ConfiguredStore;
  dimensions: number;
  pinecone?: { host: string; apiKeyEnv: string };
  /** Embedded PGlite has a single session, which the pgvector store configures once. */
  databaseKind?: 'postgres' | 'pglite';
};

export type NotesStoreLog = { info(message: string): void; warn(message: string): void };

export async function createNotesStore(
  db: Database,
  setup: NotesStoreSetup,
  log: NotesStoreLog,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<NotesStore> {
  if (setup.store === 'pinecone') {
    if (!setup.pinecone) throw new NotesStoreConfigError('KEEL_PINECONE_HOST', 'KEEL_NOTES_STORE=pinecone needs KEEL_PINECONE_HOST');
    const apiKey = environment[setup.pinecone.apiKeyEnv];
    if (!apiKey) throw new NotesStoreConfigError(setup.pinecone.apiKeyEnv, `KEEL_NOTES_STORE=pinecone needs the API key in ${setup.pinecone.apiKeyEnv}`);
    log.info(`notes: Pinecone index at ${setup.pinecone.host}, one namespace per tenant`);
    return new PineconeNotesStore({ host: setup.pinecone.host, apiKey });
  }
  if (setup.store === 'exact') {
    log.info('notes: exact search in PostgreSQL (KEEL_NOTES_STORE=exact)');
    return new PostgresNotesStore(db, { mode: 'exact' });
  }
  const status = await ensurePgvector(db, setup.dimensions);
  if (!status.available) {
    log.warn(pgvectorFallbackMessage(status));
    return new PostgresNotesStore(db, { mode: 'exact' });
  }
  log.info(`notes: pgvector HNSW index (cosine, ${setup.dimensions} dimensions)`);
  return new PostgresNotesStore(db, { mode: 'pgvector', singleSession: setup.databaseKind === 'pglite' });
}
