// Jest: one Temporal dev server and one fresh PostgreSQL database shared by every test file
// (globalSetup); each file starts and tears down its own workers (sdk-typescript #614, #928).
// The console's browser modules (api/console/**/*.js) are ES modules: unit tests import them through swc too.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }], '/api/console/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

module.exports = {
  testEnvironment: 'node',
  transform,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The reliability suites run on their own (npm run test:chaos, npm run test:load: jest.chaos.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/chaos/', '<rootDir>/test/load/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/setup-runtime.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
  // A worker that has run a few files is replaced: each file loads its own copies of the modules,
  // and a long-lived worker grew slower file by file (a unit file's set-up from 6 s to 20 s under
  // coverage; test/unit took 206 s with long-lived workers, 105 s with this).
  workerIdleMemoryLimit: '400MB',
};
