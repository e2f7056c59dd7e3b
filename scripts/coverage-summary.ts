// The end of `npm run test:coverage`: line and branch coverage per folder, from Jest's v8 summary
// (coverage/coverage-summary.json) and, for workflows/, from the sandbox's istanbul counters
// (coverage/workflows/*.json, mapped back to the TypeScript). Exits 1 when a folder is below 80%.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCoverageMap, createCoverageSummary, type CoverageSummary, type CoverageSummaryData } from 'istanbul-lib-coverage';
import { createSourceMapStore } from 'istanbul-lib-source-maps';
import { z } from 'zod';

const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_COVERAGE_DIRECTORY = path.join(ROOT, 'coverage');
/** The folders the issue holds to the threshold, in the order the summary prints them. */
export const COVERED_FOLDERS = ['core', 'activities', 'workflows', 'api', 'providers', 'tools'] as const;
export const THRESHOLD_PERCENT = { lines: 80, branches: 80 } as const;

const totals = z.object({ total: z.number(), covered: z.number(), skipped: z.number(), pct: z.union([z.number(), z.literal('Unknown')]) });
const jestSummarySchema = z.record(z.string(), z.object({ lines: totals, statements: totals, functions: totals, branches: totals }));

export type FolderCoverage = { folder: string; source: 'v8' | 'istanbul (workflow sandbox)'; files: number; summary: CoverageSummaryData };

function folderOf(file: string): string | undefined {
  const relative = path.relative(ROOT, path.isAbsolute(file) ? file : path.join(ROOT, file));
  const first = relative.split(path.sep)[0];
  return (COVERED_FOLDERS as readonly string[]).includes(first ?? '') ? first : undefined;
}

function addTo(byFolder: Map<string, { files: number; summary: CoverageSummary }>, file: string, data: CoverageSummaryData): void {
  const folder = folderOf(file);
  if (!folder) return;
  const entry = byFolder.get(folder) ?? { files: 0, summary: createCoverageSummary() };
  entry.files += 1;
  entry.summary.merge(createCoverageSummary(data));
  byFolder.set(folder, entry);
}

/** Every folder but workflows/, from Jest's json-summary. */
function v8Folders(coverage: string): Map<string, { files: number; summary: CoverageSummary }> {
  const byFolder = new Map<string, { files: number; summary: CoverageSummary }>();
  const file = path.join(coverage, 'coverage-summary.json');
  if (!existsSync(file)) return byFolder;
  const summary = jestSummarySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const [name, data] of Object.entries(summary)) {
    if (name !== 'total' && folderOf(name) !== 'workflows') addTo(byFolder, name, data as CoverageSummaryData);
  }
  return byFolder;
}

/** workflows/, from the sandbox's counters of every test file, merged and mapped to the .ts sources. */
async function workflowFolder(coverage: string): Promise<{ files: number; summary: CoverageSummary } | undefined> {
  const directory = path.join(coverage, 'workflows');
  if (!existsSync(directory)) return undefined;
  const merged = createCoverageMap();
  for (const name of readdirSync(directory).filter((entry) => entry.endsWith('.json'))) merged.merge(JSON.parse(readFileSync(path.join(directory, name), 'utf8')));
  const mapped = await createSourceMapStore().transformCoverage(merged);
  writeFileSync(path.join(coverage, 'workflows-coverage.json'), JSON.stringify(mapped.toJSON()));
  const byFolder = new Map<string, { files: number; summary: CoverageSummary }>();
  for (const file of mapped.files()) addTo(byFolder, file, mapped.fileCoverageFor(file).toSummary().toJSON());
  return byFolder.get('workflows');
}

export async function folderCoverage(coverage = DEFAULT_COVERAGE_DIRECTORY): Promise<Array<FolderCoverage | { folder: string; missing: string }>> {
  const v8 = v8Folders(coverage);
  const workflows = await workflowFolder(coverage);
  return COVERED_FOLDERS.map((folder) => {
    const entry = folder === 'workflows' ? workflows : v8.get(folder);
    if (!entry) return { folder, missing: folder === 'workflows' ? 'no workflow coverage in coverage/workflows/ (no workflow ran under npm run test:coverage)' : 'not in coverage/coverage-summary.json' };
    return { folder, source: folder === 'workflows' ? 'istanbul (workflow sandbox)' : 'v8', files: entry.files, summary: entry.summary.toJSON() };
  });
}

function percent(value: number | 'Unknown'): string {
  return value === 'Unknown' ? '   n/a' : `${value.toFixed(1).padStart(5)}%`;
}

/** Folders below the threshold (or not measured), each as one line. */
export function thresholdFailures(folders: ReadonlyArray<FolderCoverage | { folder: string; missing: string }>): string[] {
  return folders.flatMap((entry) => {
    if ('missing' in entry) return [`${entry.folder}/: ${entry.missing}`];
    return (['lines', 'branches'] as const).flatMap((metric) => {
      const pct = entry.summary[metric].pct as number | 'Unknown';
      return pct !== 'Unknown' && pct < THRESHOLD_PERCENT[metric] ? [`${entry.folder}/: ${metric} ${pct.toFixed(1)}% < ${THRESHOLD_PERCENT[metric]}%`] : [];
    });
  });
}

async function main(): Promise<void> {
  const folders = await folderCoverage();
  console.log('\n== coverage per folder (threshold: 80% lines and 80% branches each)');
  console.log('folder       lines  branches  statements  functions  files  measured by');
  for (const entry of folders) {
    if ('missing' in entry) {
      console.log(`${`${entry.folder}/`.padEnd(11)}  ${entry.missing}`);
      continue;
    }
    const { lines, branches, statements, functions } = entry.summary;
    console.log(`${`${entry.folder}/`.padEnd(11)} ${percent(lines.pct)}    ${percent(branches.pct)}      ${percent(statements.pct)}     ${percent(functions.pct)}  ${String(entry.files).padStart(5)}  ${entry.source}`);
  }
  const failures = thresholdFailures(folders);
  if (failures.length > 0) {
    console.log(`\ncoverage below the threshold:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`[keel] coverage summary failed: ${error.message}`);
    process.exit(1);
  });
}
