// The coverage summary of `npm run test:coverage`: Jest's per-file v8 summary and the workflow
// sandbox's istanbul counters become one line per folder, and a folder under 80% is a failure.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COVERED_FOLDERS, folderCoverage, thresholdFailures } from '../../../scripts/coverage-summary';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const counts = (total: number, covered: number) => ({ total, covered, skipped: 0, pct: total === 0 ? 100 : Math.round((covered / total) * 10_000) / 100 });
const fileSummary = (lines: [number, number], branches: [number, number]) => ({
  lines: counts(...lines), statements: counts(...lines), functions: counts(1, 1), branches: counts(...branches),
});

/** One istanbul file coverage with a statement per line and one two-way branch. */
function istanbulFile(file: string, statementHits: number[], branchHits: [number, number]) {
  const location = (line: number) => ({ start: { line, column: 0 }, end: { line, column: 10 } });
  return {
    path: file,
    statementMap: Object.fromEntries(statementHits.map((_, index) => [String(index), location(index + 1)])),
    s: Object.fromEntries(statementHits.map((hits, index) => [String(index), hits])),
    fnMap: {}, f: {},
    branchMap: { 0: { type: 'if', line: 1, loc: location(1), locations: [location(1), location(1)] } },
    b: { 0: branchHits },
  };
}

describe('the coverage summary', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'keel-coverage-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('sums each folder over its files and takes workflows/ from the sandbox counters of every test file', async () => {
    writeFileSync(path.join(directory, 'coverage-summary.json'), JSON.stringify({
      total: fileSummary([0, 0], [0, 0]),
      [path.join(ROOT, 'core', 'a.ts')]: fileSummary([10, 9], [4, 4]),
      [path.join(ROOT, 'core', 'deep', 'b.ts')]: fileSummary([10, 7], [6, 2]),
      [path.join(ROOT, 'api', 'c.ts')]: fileSummary([5, 5], [0, 0]),
      [path.join(ROOT, 'scripts', 'not-a-folder-we-hold.ts')]: fileSummary([5, 0], [2, 0]),
    }));
    mkdirSync(path.join(directory, 'workflows'));
    const loop = path.join(ROOT, 'workflows', 'agent-loop.ts');
    // Two test files ran different halves: merged, every line and both branch arms ran.
    writeFileSync(path.join(directory, 'workflows', 'one.json'), JSON.stringify({ [loop]: istanbulFile(loop, [1, 1, 0, 0], [1, 0]) }));
    writeFileSync(path.join(directory, 'workflows', 'two.json'), JSON.stringify({ [loop]: istanbulFile(loop, [0, 0, 3, 1], [0, 2]) }));

    const folders = await folderCoverage(directory);
    expect(folders.map((entry) => entry.folder)).toEqual([...COVERED_FOLDERS]);
    const byFolder = Object.fromEntries(folders.map((entry) => [entry.folder, entry]));
    expect(byFolder.core).toMatchObject({ files: 2, source: 'v8', summary: { lines: { total: 20, covered: 16, pct: 80 }, branches: { total: 10, covered: 6, pct: 60 } } });
    expect(byFolder.api).toMatchObject({ files: 1, summary: { lines: { pct: 100 } } });
    expect(byFolder.workflows).toMatchObject({ files: 1, source: 'istanbul (workflow sandbox)', summary: { lines: { total: 4, covered: 4 }, branches: { total: 2, covered: 2 } } });
    expect(byFolder.tools).toEqual({ folder: 'tools', missing: 'not in coverage/coverage-summary.json' });

    expect(thresholdFailures(folders)).toEqual([
      'core/: branches 60.0% < 80%',
      'activities/: not in coverage/coverage-summary.json',
      'providers/: not in coverage/coverage-summary.json',
      'tools/: not in coverage/coverage-summary.json',
    ]);
  });

  it('names workflows/ as unmeasured when no workflow ran', async () => {
    writeFileSync(path.join(directory, 'coverage-summary.json'), JSON.stringify({ total: fileSummary([0, 0], [0, 0]) }));
    const workflows = (await folderCoverage(directory)).find((entry) => entry.folder === 'workflows');
    expect(workflows).toEqual({ folder: 'workflows', missing: expect.stringContaining('no workflow coverage') });
  });
});
