// Smoke test of the loop benchmark: `bench:loop --smoke` completes end to end (its own model
// server, Temporal dev server and Keel process) and writes every field. No timing assertions:
// the numbers live in bench/README.md. Smoke mode (one or two repetitions, a 1,200-step run that
// continues-as-new) took a minute where `--quick` took four of the suite's time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWith } from '../support/prerequisites';

const ROOT = path.resolve(__dirname, '..', '..');
const REQUIRED_FIELDS = [
  'overheadMsP50', 'overheadMsP99', 'ratioAt100ms', 'oneStepMsP50', 'cpuMsPerStep', 'historyBytes300', 'completedHuge',
  // Keel beside the textbook Temporal loop, measured in the same invocation.
  'overheadRatioToTextbook', 'overheadRatioToTextbookLocal', 'oneStepRatioToTextbook', 'cpuRatioToTextbookLocal',
];

// Skipped without PostgreSQL (named in the run's summary): its long runs on PGlite alone take
// longer than the whole suite.
describeWith('postgres')('the loop benchmark in smoke mode', () => {
  it('completes, continues a long run as new, and writes loop.json with every field', async () => {
    const output = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-bench-smoke-')), 'loop.json');
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'loop.ts'), '--smoke', `--output=${output}`], {
        cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (code) => resolve(code ?? 1));
    });
    expect(exitCode).toBe(0);
    const results = JSON.parse(readFileSync(output, 'utf8')) as Record<string, unknown>;
    for (const field of REQUIRED_FIELDS) expect(results).toHaveProperty(field);
    expect(results.completedHuge).toBe(true);
    expect(results.hugeContinuedRuns).toBeGreaterThan(1);
    expect(Number(results.historyBytes300)).toBeGreaterThan(0);
  }, 600_000);
});
