// `npm run build:workflows`: bundles the workflow code once (webpack), so production workers start
// in milliseconds and without the bundler's memory peak. Point KEEL_WORKFLOW_BUNDLE at the output.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/create-worker';

export const DEFAULT_BUNDLE_PATH = path.join(__dirname, '..', 'dist', 'workflow-bundle.js');

export async function buildWorkflowBundle(output = DEFAULT_BUNDLE_PATH): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error } });
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, code);
  return output;
}

if (require.main === module) {
  buildWorkflowBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined)
    .then((file) => console.log(`[keel] workflow bundle written to ${file}; run workers with KEEL_WORKFLOW_BUNDLE=${file}`))
    .catch((error: Error) => {
      console.error(`[keel] bundling failed: ${error.message}`);
      process.exit(1);
    });
}
