// Jest global setup: one tuned Temporal dev server on free ports and one fresh PostgreSQL database
// (or, with no PostgreSQL here, embedded PGlite served over the wire protocol) for the whole test
// run; their addresses and what this machine lacks reach test files through environment variables.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { startPgliteServer } from './pglite-server';
import { TEST_ADMIN_DATABASE_URL, describeMissing, probePrerequisites, publishPrerequisites } from './prerequisites';
import { ensureTemporalCli } from '../../scripts/install-temporal';
import { KEEL_SEARCH_ATTRIBUTES } from '../../core/search-attributes';
import { TUNED_DEV_SERVER_ARGS } from '../../worker/dev-server-args';
import { migrateDatabase } from '../../stores/migrate';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { workflowInterceptorModules } from '../../worker/workflow-interceptor-modules';
import { instrumentedBundleOptions, workflowCoverageDirectory } from './workflow-coverage';

const TEST_HOME = path.resolve(__dirname, '..', '..', '.keel', 'test');

export default async function globalSetup(): Promise<void> {
  const prerequisites = await probePrerequisites();
  publishPrerequisites(prerequisites);
  const missing = describeMissing(prerequisites);
  if (missing.length > 0) console.warn(`\n${missing.join('\n')}`);
  if (missing.length > 0 && process.env.KEEL_REQUIRE_ALL === '1') {
    throw new Error(`KEEL_REQUIRE_ALL=1 and this machine lacks what the full suite needs:\n${missing.join('\n')}`);
  }
  // Without bubblewrap, agent tests run bash unsandboxed (each in its own temporary workspace);
  // the sandbox's own tests skip. Spawned worker processes inherit this too.
  if (!prerequisites.find((entry) => entry.name === 'bubblewrap')?.available) process.env.KEEL_UNSAFE_BASH = '1';

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

  const databaseUrl = prerequisites.find((entry) => entry.name === 'postgres')?.available ? await createTestDatabase() : await servePglite();
  process.env.KEEL_TEST_DATABASE_URL = databaseUrl;
  await migrateDatabase({ databaseUrl });

  // One workflow bundle for every test file: bundling takes seconds, workers take milliseconds.
  mkdirSync(TEST_HOME, { recursive: true });
  // Under `npm run test:coverage` the workflows are instrumented (test/support/workflow-coverage.ts).
  const coverage = workflowCoverageDirectory() ? instrumentedBundleOptions() : undefined;
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quietLogger,
    ...coverage,
    workflowInterceptorModules: [...workflowInterceptorModules({ tracing: false }), ...(coverage?.workflowInterceptorModules ?? [])],
  });
  const bundlePath = path.join(TEST_HOME, `workflow-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, bundle.code);
  process.env.KEEL_TEST_WORKFLOW_BUNDLE = bundlePath;
}

/** A fresh database on the test PostgreSQL, dropped by the global teardown. */
async function createTestDatabase(): Promise<string> {
  const databaseName = `keel_test_${process.pid}_${Date.now()}`;
  const admin = new PgClient({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const url = new URL(TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${databaseName}`;
  (globalThis as Record<string, unknown>).__keelTestDatabase = databaseName;
  return url.toString();
}

/**
 * No PostgreSQL: one in-memory PGlite served on a free port, so the API, workers and spawned worker
 * processes share it as they would a server. No pgvector is loaded: like Debian's PostgreSQL, so
 * the notes tests see the same exact-search fallback.
 */
async function servePglite(): Promise<string> {
  const { PGlite } = await import('@electric-sql/pglite');
  const database = await PGlite.create('memory://');
  const server = await startPgliteServer(database);
  (globalThis as Record<string, unknown>).__keelPglite = { server, database };
  return server.url;
}

const quietLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: (message: string) => console.warn(message), error: (message: string) => console.error(message),
};
