// The tenant's experiments (GET /v1/experiments): name, agent, status and winner, each linking to its report.
import { html } from '../lib/html.js';
import { age } from '../lib/format.js';
import { usePolling } from '../lib/use-polling.js';
import { StatusBadge } from '../components/status-badge.js';

const EXPERIMENTS_POLL_MS = 10_000;

export function ExperimentsPage() {
  const { data, error } = usePolling('/v1/experiments?limit=100', EXPERIMENTS_POLL_MS);
  return html`<section aria-labelledby="experiments-title">
    <header class="page-head"><h1 id="experiments-title">Experiments</h1></header>
    ${error && html`<p class="error" role="alert">${error.message}</p>`}
    ${data && data.experiments.length === 0 && html`<p class="empty">No experiments yet: POST /v1/experiments starts one on an agent.</p>`}
    ${data && data.experiments.length > 0 && html`<div class="table-wrap"><table class="experiments-list">
      <thead><tr><th scope="col">Name</th><th scope="col">Agent</th><th scope="col">Status</th><th scope="col">Arms</th><th scope="col">Winner</th><th scope="col">Started</th></tr></thead>
      <tbody>${data.experiments.map((experiment) => html`<tr data-experiment-id=${experiment.id}>
        <td><a href=${experiment.links.console}>${experiment.name}</a></td><td>${experiment.agent}</td><td><${StatusBadge} status=${experiment.status} /></td>
        <td>${experiment.arms.map((arm) => arm.name).join(', ')}</td><td>${experiment.winner ?? '—'}</td><td>${age(experiment.createdAt)}</td></tr>`)}</tbody>
    </table></div>`}
  </section>`;
}
