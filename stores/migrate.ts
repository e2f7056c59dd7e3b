// Applies the drizzle-kit migrations in stores/migrations to PostgreSQL or PGlite.
import path from 'node:path';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from './database';

export const MIGRATIONS_FOLDER = path.join(__dirname, 'migrations');

export async function applyMigrations(handle: DatabaseHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  // The two migrators differ only in the driver type they accept.
  if (handle.kind === 'postgres') await migratePg(handle.db as never, config);
  else await migratePglite(handle.db as never, config);
}

export async function migrateDatabase(options: OpenDatabaseOptions): Promise<void> {
  const handle = await openDatabase(options);
  try {
    await applyMigrations(handle);
  } finally {
    await handle.close();
  }
}
