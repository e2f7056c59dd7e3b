// Jest global teardown: stops the shared Temporal server and drops the run's database.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client as PgClient } from 'pg';

const ADMIN_DATABASE_URL = process.env.KEEL_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const env = globals.__keelTemporal as TestWorkflowEnvironment | undefined;
  await env?.teardown();
  const databaseName = globals.__keelTestDatabase as string | undefined;
  if (databaseName && !process.env.KEEL_TEST_KEEP_DATABASE) {
    const admin = new PgClient({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
}
