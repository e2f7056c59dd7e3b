// Jest global setup: one tuned Temporal dev server on free ports and one fresh PostgreSQL database
// for the whole test run; their addresses reach test files through environment variables.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { ensureTemporalCli } from '../../scripts/install-temporal';
import { KEEL_SEARCH_ATTRIBUTES } from '../../core/search-attributes';
import { TUNED_DEV_SERVER_ARGS } from '../../worker/dev-server-args';
import { migrateDatabase } from '../../stores/migrate';
import { WORKFLOWS_PATH } from '../../worker/create-worker';

const TEST_HOME = path.resolve(__dirname, '..', '..', '.keel', 'test');

const ADMIN_DATABASE_URL = process.env.KEEL_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export default async function globalSetup(): Promise<void> {
  // A fresh clone has no Temporal CLI yet: install it (a Go build of a few minutes, once).
  const cli = await ensureTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      extraArgs: [...TUNED_DEV_SERVER_ARGS],
      searchAttributes: [...KEEL_SEARCH_ATTRIBUTES],
    },
  });
  (globalThis as Record<string, unknown>).__keelTemporal = env;
  process.env.TEMPORAL_ADDRESS = env.address;

  const databaseName = `keel_test_${process.pid}_${Date.now()}`;
  const admin = new PgClient({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${databaseName}`;
  process.env.KEEL_TEST_DATABASE_URL = url.toString();
  (globalThis as Record<string, unknown>).__keelTestDatabase = databaseName;
  await migrateDatabase({ databaseUrl: url.toString() });

  // One workflow bundle for every test file: bundling takes seconds, workers take milliseconds.
  mkdirSync(TEST_HOME, { recursive: true });
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  const bundlePath = path.join(TEST_HOME, `workflow-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, bundle.code);
  process.env.KEEL_TEST_WORKFLOW_BUNDLE = bundlePath;
}

const quietLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: (message: string) => console.warn(message), error: (message: string) => console.error(message),
};
