// Opens Keel's database: PostgreSQL through `pg` when a URL is given, otherwise embedded PGlite
// (with its vector extension) in a folder. Both are exposed as the same drizzle database.
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { Pool } from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseHandle = {
  db: Database;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
};

export type OpenDatabaseOptions = { databaseUrl?: string; pgliteDir?: string; poolSize?: number };

export const DEFAULT_POOL_SIZE = 20;

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? DEFAULT_POOL_SIZE });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema }) as unknown as Database;
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  if (!options.pgliteDir) throw new Error('openDatabase needs databaseUrl (PostgreSQL) or pgliteDir (embedded PGlite)');
  // Loaded lazily: production deployments on PostgreSQL never pay for the WASM build.
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite/vector');
  if (options.pgliteDir !== 'memory://') mkdirSync(options.pgliteDir, { recursive: true });
  const client = await PGlite.create(options.pgliteDir, { extensions: { vector } });
  // drizzle's PGlite typings resolve the package's other module format; the instance is the same.
  const db = drizzlePglite(client as never, { schema }) as unknown as Database;
  return { db, kind: 'pglite', close: () => client.close() };
}
