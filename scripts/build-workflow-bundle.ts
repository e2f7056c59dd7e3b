// `npm run build:workflows`: bundles the workflow code once (webpack), so production workers start
// in milliseconds and without the bundler's memory peak. Point KEEL_WORKFLOW_BUNDLE at the output.
// Workers that trace need a bundle built with `--tracing` (worker/workflow-interceptor-modules.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/create-worker';
import { workflowInterceptorModules } from '../worker/workflow-interceptor-modules';

export const DEFAULT_BUNDLE_PATH = path.join(__dirname, '..', 'dist', 'workflow-bundle.js');

/** `tracing`: include Temporal's OpenTelemetry workflow interceptors (for workers that trace). */
export async function buildWorkflowBundle(output = DEFAULT_BUNDLE_PATH, options: { tracing?: boolean } = {}): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: workflowInterceptorModules({ tracing: options.tracing ?? false }), logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error } });
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, code);
  return output;
}

if (require.main === module) {
  // `npm run build:workflows -- [output] [--tracing]`; tracing also when OTEL_EXPORTER_OTLP_ENDPOINT is set here.
  const args = process.argv.slice(2);
  const output = args.find((arg) => !arg.startsWith('--'));
  const tracing = args.includes('--tracing') || Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  buildWorkflowBundle(output ? path.resolve(output) : undefined, { tracing })
    .then((file) => console.log(`[keel] workflow bundle written to ${file}; run workers with KEEL_WORKFLOW_BUNDLE=${file}`))
    .catch((error: Error) => {
      console.error(`[keel] bundling failed: ${error.message}`);
      process.exit(1);
    });
}
