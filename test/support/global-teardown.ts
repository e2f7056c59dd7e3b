// Jest global teardown: stops the shared Temporal server, drops the run's database (or stops the
// PGlite server) and repeats what this machine lacked, so the end of the output names every skip.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client as PgClient } from 'pg';
import type { PgliteServer } from './pglite-server';
import { TEST_ADMIN_DATABASE_URL, describeMissing, readPrerequisites } from './prerequisites';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const env = globals.__keelTemporal as TestWorkflowEnvironment | undefined;
  await env?.teardown();
  const databaseName = globals.__keelTestDatabase as string | undefined;
  if (databaseName && !process.env.KEEL_TEST_KEEP_DATABASE) {
    const admin = new PgClient({ connectionString: TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
  const pglite = globals.__keelPglite as { server: PgliteServer; database: { close(): Promise<void> } } | undefined;
  if (pglite) {
    await pglite.server.close();
    await pglite.database.close();
  }
  const missing = describeMissing(readPrerequisites());
  if (missing.length > 0) console.warn(`\n${missing.join('\n')}\n`);
}
