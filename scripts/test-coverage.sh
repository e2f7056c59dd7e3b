#!/bin/sh
# `npm run test:coverage [jest args]`: the suite with coverage (jest.coverage.config.js), then the
# per-folder summary, which also holds workflows/ to its threshold (scripts/coverage-summary.ts).
# Exits non-zero when a test fails or any folder is below 80% of lines or branches.
cd "$(dirname "$0")/.." || exit 1
rm -rf coverage
NODE_OPTIONS=--experimental-vm-modules jest -c jest.coverage.config.js "$@"
status=$?
tsx scripts/coverage-summary.ts || status=1
exit $status
