// An empty database of its own on the test PostgreSQL (no migrations, no rows), for tests that start
// from nothing as a new production deployment does; dropped by the test.
import { Client as PgClient } from 'pg';
import { ulid } from 'ulid';
import { TEST_ADMIN_DATABASE_URL } from './prerequisites';

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

export async function createFreshDatabase(): Promise<FreshDatabase> {
  const name = `keel_fresh_${ulid().toLowerCase()}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
