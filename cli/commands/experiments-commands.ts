// `keel experiments ls|report <id>|stop <id> --winner <arm>`: the tenant's A/B experiments, a
// report's per-arm metrics with their intervals and p-values, and stopping one with a winner.
import { experimentListShape, experimentReportShape, experimentShape } from '../api-shapes';
import { table, type CliIo } from '../cli-io';
import type { KeelClient } from '../keel-client';

const EXPERIMENT_ID_PATTERN = /^exp_[0-9A-Z]{26}$/;

/** Thrown when an argument is not an experiment id, before anything is asked of Keel. */
export class ExperimentIdInvalid extends Error {
  constructor(readonly given: string) {
    super(`not an experiment id: ${given} (exp_ followed by 26 characters)`);
    this.name = 'ExperimentIdInvalid';
  }
}

function checkedId(id: string): string {
  if (!EXPERIMENT_ID_PATTERN.test(id)) throw new ExperimentIdInvalid(id);
  return id;
}

/** A metric value in its unit: rates as percentages, money in dollars, the rest with one or two decimals. */
function formatted(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '-';
  if (unit === 'ratio') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'usd') return `$${value.toFixed(4)}`;
  if (unit === 'score') return value.toFixed(2);
  return value.toFixed(1);
}

export async function listExperiments(client: KeelClient, io: CliIo): Promise<number> {
  const { experiments } = await client.request('GET', '/v1/experiments?limit=200', experimentListShape);
  if (experiments.length === 0) {
    io.err('no experiments\n');
    return 0;
  }
  io.out(table([['ID', 'NAME', 'AGENT', 'STATUS', 'ARMS', 'WINNER', 'CREATED'], ...experiments.map((experiment) => [
    experiment.id, experiment.name, experiment.agent, experiment.status, experiment.arms.map((arm) => `${arm.name}:${arm.weight}`).join(','), experiment.winner ?? '', experiment.createdAt,
  ])]));
  return 0;
}

export async function showExperimentReport(client: KeelClient, io: CliIo, id: string): Promise<number> {
  const report = await client.request('GET', `/v1/experiments/${checkedId(id)}/report`, experimentReportShape);
  const { experiment } = report;
  io.out(`${experiment.name} (${experiment.id}) on agent ${experiment.agent}: ${experiment.status}${experiment.winner ? `, winner ${experiment.winner}` : ''}\n`);
  io.out(`runs: ${report.arms.map((arm) => `${arm.name} ${arm.runs.finished}/${arm.runs.enrolled} finished`).join(', ')}\n\n`);
  const rows = [['METRIC', 'ARM', 'N', 'ESTIMATE', '95% INTERVAL', `P VS ${report.baseline.toUpperCase()}`]];
  for (const metric of report.metrics) {
    for (const arm of report.arms) {
      const summary = arm.metrics[metric.key];
      if (!summary) continue;
      const interval = summary.interval ? `${formatted(summary.interval.low, metric.unit)} - ${formatted(summary.interval.high, metric.unit)}` : '-';
      const p = summary.comparison ? `${summary.comparison.pValue < 0.001 ? '<0.001' : summary.comparison.pValue.toFixed(3)}${summary.comparison.significant ? ' *' : ''}` : '';
      rows.push([metric.label, arm.name, String(summary.n), formatted(summary.estimate, metric.unit), interval, p]);
    }
  }
  io.out(table(rows));
  return 0;
}

export async function stopExperiment(client: KeelClient, io: CliIo, id: string, winner: string): Promise<number> {
  const stopped = await client.request('POST', `/v1/experiments/${checkedId(id)}/stop`, experimentShape, { winner });
  io.out(`stopped ${stopped.id}: every new run of ${stopped.agent} gets ${stopped.winner ?? winner}\n`);
  return 0;
}
