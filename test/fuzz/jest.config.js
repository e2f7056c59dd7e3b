// The fuzz suite (`npm run test:fuzz`): the main suite's Temporal server and database set-up, its
// own test files (*.fuzz.ts) and a long timeout. `KEEL_FUZZ_MODE=bounded` is the CI size.
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/fuzz/**/*.fuzz.ts'],
  testTimeout: 30 * 60_000,
  maxWorkers: 1,
};
