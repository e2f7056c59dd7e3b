// `npm run test:coverage`: the whole suite with coverage, 80% of lines and branches per folder.
// core/, activities/, api/, providers/ and tools/ are measured by Jest's v8 coverage of the test
// processes, and their thresholds are Jest's (each folder as a whole). workflows/ is not: its code
// runs inside the Temporal worker's webpack bundle, in a vm context on a worker thread, where the
// test process's v8 coverage does not reach. There the bundle is instrumented with istanbul
// (test/support/workflow-coverage.ts, @temporalio/nyc-test-coverage's loader), each test file writes
// what its workflows ran to coverage/workflows/, and scripts/coverage-summary.ts maps it back to the
// TypeScript, prints every folder and enforces the workflows/ threshold. Code run only in child
// processes (spawned workers and APIs) is not counted.
const path = require('node:path');
const base = require('./jest.config.js');

const COVERAGE_DIRECTORY = path.join(__dirname, 'coverage');
// Read by the global setup (instrument the bundle) and by each test file (collect and write).
process.env.KEEL_WORKFLOW_COVERAGE_DIR = path.join(COVERAGE_DIRECTORY, 'workflows');

/** The folders with a threshold, as the issue names them; workflows/ is enforced by the summary script. */
const MEASURED_FOLDERS = ['core', 'activities', 'api', 'providers', 'tools'];
const THRESHOLD = { lines: 80, branches: 80 };

module.exports = {
  ...base,
  setupFilesAfterEnv: [...(base.setupFilesAfterEnv ?? []), '<rootDir>/test/support/setup-workflow-coverage.ts'],
  collectCoverage: true,
  coverageProvider: 'v8',
  coverageDirectory: COVERAGE_DIRECTORY,
  // Every file of a measured folder counts, loaded by a test or not.
  collectCoverageFrom: [...MEASURED_FOLDERS.map((folder) => `<rootDir>/${folder}/**/*.ts`), '!**/*.d.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  // A directory key is one threshold for the folder as a whole (a glob key would hold each file to it).
  coverageThreshold: Object.fromEntries(MEASURED_FOLDERS.map((folder) => [`./${folder}/`, THRESHOLD])),
};
