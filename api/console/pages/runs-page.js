// The tenant's runs, newest first, refreshed every two seconds: status, model, steps, cost, age,
// filtered by status.
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { age, count, usd } from '../lib/format.js';
import { usePolling } from '../lib/use-polling.js';
import { StatusBadge } from '../components/status-badge.js';

const RUNS_POLL_MS = 2000;
const FILTERS = ['all', 'active', 'awaiting_review', 'completed', 'failed', 'cancelled'];
const ACTIVE = ['queued', 'running', 'awaiting_review'];

const matches = (run, filter) => filter === 'all' || (filter === 'active' ? ACTIVE.includes(run.status) : run.status === filter);

export function RunsPage() {
  const { data, error } = usePolling('/v1/runs?limit=100', RUNS_POLL_MS);
  const [filter, setFilter] = useState('all');
  const runs = data ? data.runs.filter((run) => matches(run, filter)) : [];
  return html`<section aria-labelledby="runs-title">
    <header class="page-head"><h1 id="runs-title">Runs</h1>
      <label class="field inline">Status
        <select name="status" value=${filter} onChange=${(event) => setFilter(event.currentTarget.value)}>
          ${FILTERS.map((value) => html`<option value=${value}>${value.replace(/_/g, ' ')}</option>`)}
        </select></label>
      <a class="button primary" href="/console/new">New run</a>
    </header>
    ${error && html`<p class="error" role="alert">${error.message}</p>`}
    ${data && runs.length === 0 && html`<p class="empty">No ${filter === 'all' ? '' : `${filter.replace(/_/g, ' ')} `}runs yet. <a href="/console/new">Start one</a>.</p>`}
    ${runs.length > 0 && html`<div class="table-wrap"><table class="runs">
      <thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Model</th><th scope="col" class="number">Steps</th><th scope="col" class="number">Cost</th><th scope="col" class="number">Tokens</th><th scope="col">Age</th></tr></thead>
      <tbody>${runs.map((run) => html`<tr data-run-id=${run.id}>
        <td><a href=${`/console/runs/${run.id}`}><code>${run.id}</code></a></td>
        <td><${StatusBadge} status=${run.status} /></td>
        <td>${run.models.length ? run.models[0] : run.complexity ? `pool (${run.complexity})` : '—'}</td>
        <td class="number">${run.step}</td>
        <td class="number">${usd(run.costUsd)}</td>
        <td class="number">${count(run.usage.inputTokens + run.usage.outputTokens)}</td>
        <td title=${run.createdAt}>${age(run.createdAt)}</td>
      </tr>`)}</tbody>
    </table></div>`}
  </section>`;
}
