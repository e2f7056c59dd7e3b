// Workflow coverage under `npm run test:coverage`. Workflow code runs in the Temporal worker's
// webpack-bundled sandbox (a vm context in a worker thread), which Jest's v8 coverage of the test
// process cannot see, so the bundle is instrumented with istanbul (@temporalio/nyc-test-coverage's
// loader and interceptor) and each activation's counters come back through a `coverage` sink.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BundleOptions, InjectedSinks, WorkerOptions } from '@temporalio/worker';
import { createCoverageMap, type CoverageMapData } from 'istanbul-lib-coverage';
import { WORKFLOWS_PATH } from '../../worker/create-worker';

/** Set by jest.coverage.config.js: where each test file's workflow coverage is written. */
export const WORKFLOW_COVERAGE_DIR_VARIABLE = 'KEEL_WORKFLOW_COVERAGE_DIR';
export const WORKFLOWS_FOLDER = path.dirname(WORKFLOWS_PATH);

type WebpackConfig = ReturnType<NonNullable<BundleOptions['webpackConfigHook']>>;
type CoverageSinks = { coverage: { merge(data: CoverageMapData): void } };

export function workflowCoverageDirectory(): string | undefined {
  return process.env[WORKFLOW_COVERAGE_DIR_VARIABLE] || undefined;
}

/**
 * Bundle options that instrument workflows/ only: instrumenting core/ too would send its counters
 * on every activation, and core/ is measured where it runs, in the test process.
 */
export function instrumentedBundleOptions(): Pick<BundleOptions, 'workflowInterceptorModules' | 'webpackConfigHook'> {
  return {
    workflowInterceptorModules: [require.resolve('@temporalio/nyc-test-coverage/lib/interceptors')],
    webpackConfigHook: (config: WebpackConfig) => ({
      ...config,
      module: {
        ...config.module,
        rules: [
          ...(config.module?.rules ?? []),
          { test: /\.ts$/, include: WORKFLOWS_FOLDER, enforce: 'post' as const, use: { loader: require.resolve('@temporalio/nyc-test-coverage/lib/loader') } },
        ],
      },
    }),
  };
}

/**
 * In one test file: every Worker gets the `coverage` sink, and after the file its merged counters
 * go to a file of their own (the summary script merges them: scripts/coverage-summary.ts).
 */
export function collectWorkflowCoverage(directory: string, workerClass: { create(options: WorkerOptions): Promise<unknown> }): void {
  const coverage = createCoverageMap();
  const sinks: InjectedSinks<CoverageSinks> = {
    coverage: { merge: { fn: (_info, data) => coverage.merge(data), callDuringReplay: false } },
  };
  const create = workerClass.create.bind(workerClass);
  workerClass.create = (options: WorkerOptions) => create({ ...options, sinks: { ...options.sinks, ...sinks } });
  afterAll(() => {
    if (coverage.files().length === 0) return;
    mkdirSync(directory, { recursive: true });
    const name = `${path.basename(expect.getState().testPath ?? 'unknown', '.ts')}-${process.pid}-${Date.now()}.json`;
    writeFileSync(path.join(directory, name), JSON.stringify(coverage.toJSON()));
  });
}
