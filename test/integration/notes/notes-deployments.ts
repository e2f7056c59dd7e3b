// The notes stores the contract runs against, each on real parts: pgvector on embedded PGlite, exact
// search on the test PostgreSQL (Debian's, without pgvector) and Pinecone through its SDK against
// the local emulation.
import { ulid } from 'ulid';
import { openDatabase, type DatabaseHandle } from '../../../stores/database';
import { applyMigrations } from '../../../stores/migrate';
import { createNotesStore, PineconeNotesStore, type NotesStore } from '../../../stores/notes';
import { TenantsRepository } from '../../../stores/tenants-repository';
import { testDatabaseUrl } from '../../support/keel-harness';
import { startPineconeEmulator, type PineconeEmulator } from '../../support/pinecone-emulator';

export const CONTRACT_DIMENSIONS = 384;

export type NotesDeployment = {
  name: string;
  store: NotesStore;
  /** Tenants that exist in the database (notes reference them). */
  tenants: { a: string; b: string };
  database?: DatabaseHandle;
  emulator?: PineconeEmulator;
  close(): Promise<void>;
};

const quietLog = { info: () => undefined, warn: () => undefined };

async function withTenants(database: DatabaseHandle): Promise<{ a: string; b: string }> {
  const suffix = ulid().toLowerCase();
  const tenants = { a: `na_${suffix}`, b: `nb_${suffix}` };
  const repository = new TenantsRepository(database.db);
  await repository.ensureTenant(tenants.a, 'notes tenant a');
  await repository.ensureTenant(tenants.b, 'notes tenant b');
  return tenants;
}

export const NOTES_DEPLOYMENTS: Record<string, () => Promise<NotesDeployment>> = {
  'pgvector on PGlite': async () => {
    const database = await openDatabase({ pgliteDir: 'memory://' });
    await applyMigrations(database);
    const store = await createNotesStore(database.db, { store: 'pgvector', dimensions: CONTRACT_DIMENSIONS, databaseKind: 'pglite' }, quietLog);
    if (store.kind !== 'pgvector') throw new Error(`expected pgvector on PGlite, got ${store.kind}`);
    return { name: 'pgvector', store, tenants: await withTenants(database), database, close: () => database.close() };
  },
  'exact search on PostgreSQL without pgvector': async () => {
    const database = await openDatabase({ databaseUrl: testDatabaseUrl(), poolSize: 4 });
    const warnings: string[] = [];
    const store = await createNotesStore(database.db, { store: 'pgvector', dimensions: CONTRACT_DIMENSIONS }, { info: () => undefined, warn: (message) => warnings.push(message) });
    // Debian's PostgreSQL 15 here has no pgvector: the store must say so and fall back.
    if (store.kind !== 'exact' || !warnings.some((message) => message.includes('install pgvector'))) {
      throw new Error(`expected the exact-search fallback with a warning, got ${store.kind}: ${warnings.join(' | ')}`);
    }
    return { name: 'exact', store, tenants: await withTenants(database), database, close: () => database.close() };
  },
  'Pinecone (SDK against the local emulation)': async () => {
    const emulator = await startPineconeEmulator({ dimension: CONTRACT_DIMENSIONS });
    const store = new PineconeNotesStore({ host: emulator.host, apiKey: emulator.apiKey, maxRetries: 0 });
    const suffix = ulid().toLowerCase();
    return { name: 'pinecone', store, tenants: { a: `na_${suffix}`, b: `nb_${suffix}` }, emulator, close: () => emulator.close() };
  },
};
