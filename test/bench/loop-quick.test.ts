// Smoke test of the loop benchmark: `bench:loop --quick` completes end to end (its own model
// server, Temporal dev server and Keel process) and writes every field. No timing assertions:
// the numbers live in bench/README.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWith } from '../support/prerequisites';

const ROOT = path.resolve(__dirname, '..', '..');
const REQUIRED_FIELDS = [
  'overheadMsP50', 'overheadMsP99', 'ratioAt100ms', 'oneStepMsP50', 'cpuMsPerStep', 'historyBytes300', 'completed5000',
  // Keel beside the textbook Temporal loop, measured in the same invocation.
  'overheadRatioToTextbook', 'overheadRatioToTextbookLocal', 'oneStepRatioToTextbook', 'cpuRatioToTextbookLocal',
];

// Skipped without PostgreSQL (named in the run's summary): its 5000-step run on PGlite alone takes
// longer than the whole suite.
describeWith('postgres')('the loop benchmark in quick mode', () => {
  it('completes and writes loop.json with every field', async () => {
    const output = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-bench-smoke-')), 'loop.json');
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'loop.ts'), '--quick', `--output=${output}`], {
        cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (code) => resolve(code ?? 1));
    });
    expect(exitCode).toBe(0);
    const results = JSON.parse(readFileSync(output, 'utf8')) as Record<string, unknown>;
    for (const field of REQUIRED_FIELDS) expect(results).toHaveProperty(field);
    expect(results.completed5000).toBe(true);
    expect(Number(results.historyBytes300)).toBeGreaterThan(0);
  }, 600_000);
});
