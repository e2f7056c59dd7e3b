// The reliability figures every suite of the reliability work (chaos, fuzz, probes, load) adds to:
// one JSON file merged key by key, and the table in docs/reliability.md rendered from it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const RELIABILITY_JSON = path.join(ROOT, 'bench', 'results', 'reliability.json');
export const RELIABILITY_DOC = path.join(ROOT, 'docs', 'reliability.md');

const TABLE_START = '<!-- reliability-table:start -->';
const TABLE_END = '<!-- reliability-table:end -->';

/** One suite's figures: a name (chaos.kill, fuzz, load...) and flat numbers or short strings. */
export type ReliabilitySection = Record<string, number | string | boolean>;

export type ReliabilityReport = {
  /** The headline figures the issue names (killTrials, runsLost, fuzz5xx...). */
  summary: Record<string, number>;
  /** Each suite's own figures, with when and in which mode it ran. */
  sections: Record<string, ReliabilitySection & { recordedAt: string; mode: string }>;
};

function readReport(): ReliabilityReport {
  if (!existsSync(RELIABILITY_JSON)) return { summary: {}, sections: {} };
  const parsed = JSON.parse(readFileSync(RELIABILITY_JSON, 'utf8')) as Partial<ReliabilityReport>;
  return { summary: parsed.summary ?? {}, sections: parsed.sections ?? {} };
}

/**
 * Merges one suite's figures into bench/results/reliability.json and re-renders the table.
 * `summary` holds the headline keys; `section` the suite's detail.
 */
export function recordReliability(name: string, mode: string, summary: Record<string, number>, section: ReliabilitySection): ReliabilityReport {
  const report = readReport();
  // Only the reliability suites' own configs (chaos, load, fuzz) write the committed figures: a plain
  // `npm test`, which runs the cross-tenant probes too, leaves the working tree as it found it.
  if (process.env.KEEL_RECORD_RELIABILITY !== '1') return report;
  report.summary = { ...report.summary, ...summary };
  report.sections[name] = { ...section, mode, recordedAt: new Date().toISOString() };
  mkdirSync(path.dirname(RELIABILITY_JSON), { recursive: true });
  writeFileSync(RELIABILITY_JSON, `${JSON.stringify(report, null, 2)}\n`);
  renderTable(report);
  return report;
}

function renderTable(report: ReliabilityReport): void {
  if (!existsSync(RELIABILITY_DOC)) return;
  const rows = Object.entries(report.sections)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, section]) => {
      const figures = Object.entries(section)
        .filter(([key]) => key !== 'recordedAt' && key !== 'mode')
        .map(([key, value]) => `${key} ${value}`)
        .join(', ');
      return `| ${name} | ${section.mode} | ${figures} | ${section.recordedAt.slice(0, 10)} |`;
    });
  const table = [
    TABLE_START,
    '| suite | mode | figures | recorded |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    'Headline figures: ' + Object.entries(report.summary).map(([key, value]) => `\`${key}\` ${value}`).join(', '),
    TABLE_END,
  ].join('\n');
  const document = readFileSync(RELIABILITY_DOC, 'utf8');
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  const next = start >= 0 && end > start
    ? `${document.slice(0, start)}${table}${document.slice(end + TABLE_END.length)}`
    : `${document.trimEnd()}\n\n${table}\n`;
  writeFileSync(RELIABILITY_DOC, next);
}
