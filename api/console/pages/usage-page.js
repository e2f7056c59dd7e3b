// The tenant's model usage: totals, by model and by purpose (steps, checks, summaries...), and cost
// and tokens per UTC day and per model as charts (GET /v1/usage?groupBy=purpose and GET /v1/usage/daily).
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { count, usd } from '../lib/format.js';
import { usePolling } from '../lib/use-polling.js';
import { Chart } from '../components/chart.js';

const USAGE_POLL_MS = 10_000;
const RANGES = [7, 30, 90];

function perDay(days, field) {
  const dayList = [...new Set(days.map((entry) => entry.day))].sort();
  const models = [...new Set(days.map((entry) => entry.model))].sort();
  const x = dayList.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
  const series = models.map((model) => ({
    label: model,
    values: dayList.map((day) => days.filter((entry) => entry.day === day && entry.model === model).reduce((sum, entry) => sum + field(entry), 0)),
  }));
  return { x, series };
}

export function UsagePage() {
  const [range, setRange] = useState(30);
  const { data: totals, error } = usePolling('/v1/usage?groupBy=purpose', USAGE_POLL_MS);
  const { data: daily } = usePolling(`/v1/usage/daily?days=${range}`, USAGE_POLL_MS);
  const cost = daily && perDay(daily.days, (entry) => entry.costUsd);
  const tokenCounts = daily && perDay(daily.days, (entry) => entry.inputTokens + entry.outputTokens);
  return html`<section aria-labelledby="usage-title">
    <header class="page-head"><h1 id="usage-title">Usage</h1>
      <label class="field inline">Days <select name="days" value=${range} onChange=${(event) => setRange(Number(event.currentTarget.value))}>
        ${RANGES.map((value) => html`<option value=${value}>${value}</option>`)}</select></label></header>
    ${error && html`<p class="error" role="alert">${error.message}</p>`}
    ${totals && html`<div class="summary-figures">
      <div><span class="label">cost</span><strong class="usage-cost">${usd(totals.costUsd)}</strong></div>
      <div><span class="label">model calls</span><strong>${count(totals.calls)}</strong></div>
      <div><span class="label">runs</span><strong>${count(totals.runs)}</strong></div>
      <div><span class="label">tokens in</span><strong>${count(totals.inputTokens)}</strong></div>
      <div><span class="label">tokens out</span><strong>${count(totals.outputTokens)}</strong></div>
    </div>`}
    ${daily && daily.days.length === 0 && html`<p class="empty">No model calls in the last ${range} days.</p>`}
    ${daily && daily.days.length > 0 && html`<div class="charts">
      <div class="card"><${Chart} title="Cost per day (USD)" x=${cost.x} series=${cost.series} padSeconds=${86_400} daily=${true} format=${(value) => usd(value)} /></div>
      <div class="card"><${Chart} title="Tokens per day" x=${tokenCounts.x} series=${tokenCounts.series} padSeconds=${86_400} daily=${true} format=${(value) => count(Math.round(value))} /></div>
    </div>`}
    ${totals && totals.byModel.length > 0 && html`<h2>By model</h2><div class="table-wrap"><table class="usage-by-model">
      <thead><tr><th scope="col">Model</th><th scope="col" class="number">Calls</th><th scope="col" class="number">Runs</th><th scope="col" class="number">Tokens in</th><th scope="col" class="number">Tokens out</th><th scope="col" class="number">Cost</th></tr></thead>
      <tbody>${totals.byModel.map((entry) => html`<tr data-model=${entry.model}><td>${entry.model}</td><td class="number">${count(entry.calls)}</td><td class="number">${count(entry.runs)}</td>
        <td class="number">${count(entry.inputTokens)}</td><td class="number">${count(entry.outputTokens)}</td><td class="number cost">${usd(entry.costUsd)}</td></tr>`)}</tbody>
    </table></div>`}
    ${totals && totals.groups.length > 0 && html`<h2>By purpose</h2><div class="table-wrap"><table class="usage-by-purpose">
      <thead><tr><th scope="col">Purpose</th><th scope="col" class="number">Calls</th><th scope="col" class="number">Tokens in</th><th scope="col" class="number">Tokens out</th><th scope="col" class="number">Cost</th></tr></thead>
      <tbody>${totals.groups.map((entry) => html`<tr data-purpose=${entry.key}><td>${entry.key.replace('_', ' ')}</td><td class="number">${count(entry.calls)}</td>
        <td class="number">${count(entry.inputTokens)}</td><td class="number">${count(entry.outputTokens)}</td><td class="number cost">${usd(entry.costUsd)}</td></tr>`)}</tbody>
    </table></div>`}
  </section>`;
}
