// An empty database of its own (no migrations, no rows), for tests that start from nothing as a new
// production deployment does; dropped by the test. On the test PostgreSQL when this machine has one,
// else an empty embedded PGlite served over the wire protocol (as the global setup does), so the
// tests run on a fresh machine too.
import { Client as PgClient } from 'pg';
import { ulid } from 'ulid';
import { startPgliteServer } from './pglite-server';
import { TEST_ADMIN_DATABASE_URL, hasPrerequisite } from './prerequisites';

export type FreshDatabase = { url: string; drop(): Promise<void> };

async function asAdmin(statement: string): Promise<void> {
  const admin = new PgClient({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

async function freshPglite(): Promise<FreshDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const database = await PGlite.create('memory://');
  const server = await startPgliteServer(database);
  return {
    url: server.url,
    drop: async () => {
      await server.close();
      await database.close();
    },
  };
}

export async function createFreshDatabase(): Promise<FreshDatabase> {
  if (!hasPrerequisite('postgres')) return freshPglite();
  const name = `keel_fresh_${ulid().toLowerCase()}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
