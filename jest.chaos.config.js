// Jest for the reliability suites (`npm run test:chaos`, `npm run test:load`): the same global
// setup as `npm test` (one tuned Temporal dev server, one fresh PostgreSQL database, one workflow
// bundle), files one at a time so each trial has the machine's CPU to itself.
const base = require('./jest.config');

// A trial fails activities on purpose: the SDK's warning per failed attempt would bury the figures.
process.env.KEEL_TEST_TEMPORAL_LOG_LEVEL ??= 'ERROR';

// These runs write bench/results/reliability.json (test/support/reliability-report.ts).
process.env.KEEL_RECORD_RELIABILITY ??= '1';

const suite = process.env.KEEL_RELIABILITY_SUITE ?? 'chaos';

module.exports = {
  ...base,
  testMatch: [`<rootDir>/test/${suite}/**/*.test.ts`],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600_000,
  maxWorkers: 1,
  // Run in band as before: with a memory limit set, Jest moves --runInBand files into a worker process.
  workerIdleMemoryLimit: undefined,
};
