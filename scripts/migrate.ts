// `npm run db:migrate`: applies migrations to DATABASE_URL, or to the embedded PGlite under .keel/.
import { migrateDatabase } from '../stores/migrate';
import { loadProcessConfig } from '../runtime/load-config';

const config = loadProcessConfig();
migrateDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir })
  .then(() => console.log(`[keel] database migrated (${config.databaseUrl ? 'PostgreSQL' : `PGlite at ${config.pgliteDir}`})`))
  .catch((error: Error) => {
    console.error(`[keel] migration failed: ${error.message}`);
    process.exit(1);
  });
