// One experiment (GET /v1/experiments/:id/report): its arms and their runs, then a chart per metric
// with each arm's estimate and 95% interval, and a table of n, interval and the test against the baseline.
import { html } from '../lib/html.js';
import { count, usd } from '../lib/format.js';
import { usePolling } from '../lib/use-polling.js';
import { IntervalChart } from '../components/interval-chart.js';
import { StatusBadge } from '../components/status-badge.js';

const REPORT_POLL_MS = 10_000;

const FORMATS = {
  ratio: (value) => `${(value * 100).toFixed(0)}%`,
  confidence: (value) => value.toFixed(0),
  score: (value) => value.toFixed(2),
  usd: (value) => usd(value),
  tokens: (value) => count(Math.round(value)),
  seconds: (value) => `${value.toFixed(1)} s`,
  steps: (value) => value.toFixed(1),
};

function formatOf(unit) {
  return FORMATS[unit] ?? ((value) => String(value));
}

function shown(value, format) {
  return value === null || value === undefined ? '—' : format(value);
}

function pValue(comparison) {
  if (!comparison) return '—';
  return comparison.pValue < 0.001 ? '< 0.001' : comparison.pValue.toFixed(3);
}

function MetricCard({ metric, arms }) {
  const format = formatOf(metric.unit);
  const summaries = arms.map((arm) => ({ name: arm.name, ...arm.metrics[metric.key] }));
  const hasData = summaries.some((summary) => summary.n > 0);
  return html`<div class="card metric-card" data-metric=${metric.key}>
    ${hasData
      ? html`<${IntervalChart} title=${metric.label} arms=${summaries} format=${format} label=${`${metric.label} per arm with 95% intervals`} />`
      : html`<p class="card-title">${metric.label}</p><p class="empty">No data yet (n = 0 on every arm).</p>`}
    <div class="table-wrap"><table class="metric-table">
      <thead><tr><th scope="col">Arm</th><th scope="col" class="number">n</th><th scope="col" class="number">Estimate</th><th scope="col" class="number">95% interval</th><th scope="col" class="number" title=${`p-value against ${arms[0]?.name}`}>p</th></tr></thead>
      <tbody>${summaries.map((summary) => html`<tr data-arm=${summary.name}>
        <td>${summary.name}</td><td class="number metric-n">${count(summary.n)}</td><td class="number metric-estimate">${shown(summary.estimate, format)}</td>
        <td class="number metric-interval">${summary.interval ? `${format(summary.interval.low)} – ${format(summary.interval.high)}` : '—'}</td>
        <td class=${`number metric-p${summary.comparison?.significant ? ' significant' : ''}`}>${pValue(summary.comparison)}${summary.comparison?.significant ? ' *' : ''}</td>
      </tr>`)}</tbody>
    </table></div>
    <p class="muted metric-over">Over ${metric.over}.</p>
  </div>`;
}

export function ExperimentPage({ experimentId }) {
  const { data: report, error } = usePolling(`/v1/experiments/${experimentId}/report`, REPORT_POLL_MS);
  if (error && !report) return html`<p class="error" role="alert">${error.message}</p>`;
  if (!report) return html`<p aria-busy="true">Loading experiment…</p>`;
  const { experiment } = report;
  return html`<section aria-labelledby="experiment-title">
    <header class="page-head"><h1 id="experiment-title">${experiment.name}</h1> <${StatusBadge} status=${experiment.status} /></header>
    <div class="summary-figures">
      <div><span class="label">agent</span><strong class="experiment-agent">${experiment.agent}</strong></div>
      <div><span class="label">baseline</span><strong>${report.baseline}</strong></div>
      ${experiment.winner && html`<div><span class="label">winner</span><strong class="experiment-winner">${experiment.winner}</strong></div>`}
    </div>
    <h2>Arms</h2>
    <div class="table-wrap"><table class="experiment-arms">
      <thead><tr><th scope="col">Arm</th><th scope="col" class="number">Weight</th><th scope="col">Overrides</th><th scope="col" class="number">Runs</th><th scope="col" class="number">Finished</th><th scope="col" class="number">Active</th><th scope="col" class="number">After stop</th></tr></thead>
      <tbody>${report.arms.map((arm) => {
        const overrides = experiment.arms.find((candidate) => candidate.name === arm.name)?.overrides ?? {};
        return html`<tr data-arm=${arm.name}><td>${arm.name}</td><td class="number">${arm.weight}</td>
          <td><code>${Object.keys(overrides).length ? JSON.stringify(overrides) : 'the agent as saved'}</code></td>
          <td class="number arm-enrolled">${count(arm.runs.enrolled)}</td><td class="number arm-finished">${count(arm.runs.finished)}</td>
          <td class="number">${count(arm.runs.active)}</td><td class="number">${count(arm.runs.routedToWinner)}</td></tr>`;
      })}</tbody>
    </table></div>
    <h2>Metrics</h2>
    <p class="muted">Bars are estimates, whiskers 95% intervals (Wilson for rates, Student's t for means); p is the two-proportion z-test or Welch's t-test against ${report.baseline}, * below ${report.significanceLevel.toFixed(2)}.</p>
    <div class="charts">${report.metrics.map((metric) => html`<${MetricCard} metric=${metric} arms=${report.arms} />`)}</div>
  </section>`;
}
