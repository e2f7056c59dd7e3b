// Smoke test of the memory benchmark: `bench:memory --quick` (1k notes on PGlite with pgvector)
// completes and writes every field. No timing assertions: the numbers live in bench/README.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the memory benchmark in quick mode', () => {
  it('completes and writes memory.json with recall and latency for 1k notes', async () => {
    const output = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-bench-memory-')), 'memory.json');
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'memory.ts'), '--quick', `--output=${output}`], {
        cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (code) => resolve(code ?? 1));
    });
    expect(exitCode).toBe(0);
    const results = JSON.parse(readFileSync(output, 'utf8'));
    expect(results.runs).toHaveLength(1);
    const [run] = results.runs;
    expect(run.notes).toBe(1000);
    // The index (or the exact scan the planner prefers at this size) finds nearly every true neighbour.
    expect(run.recallAt5).toBeGreaterThanOrEqual(0.9);
    for (const field of ['searchMs', 'recallMs', 'bruteForceMs']) expect(run[field].p50).toBeGreaterThan(0);
  }, 300_000);
});
