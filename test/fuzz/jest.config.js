// The fuzz suite (`npm run test:fuzz`): the main suite's Temporal server and database set-up, its
// own test files (*.fuzz.ts) and a long timeout. `KEEL_FUZZ_MODE=bounded` is the CI size.
const base = require('../../jest.config.js');

// These runs write bench/results/reliability.json (test/support/reliability-report.ts).
process.env.KEEL_RECORD_RELIABILITY ??= '1';

module.exports = {
  ...base,
  rootDir: '../..',
  // The cross-tenant probes (also part of `npm test`) run here too, so their figure is recorded.
  testMatch: ['<rootDir>/test/fuzz/**/*.fuzz.ts', '<rootDir>/test/integration/cross-tenant-probes.test.ts'],
  testTimeout: 30 * 60_000,
  maxWorkers: 1,
  // Run in band as before: with a memory limit set, Jest moves --runInBand files into a worker process.
  workerIdleMemoryLimit: undefined,
};
