// The model catalog and pool: each model's tier, price, context window, circuit (closed, open or
// half-open, with its failures, last latency and error) and its latest health checks as a chart.
import { html } from '../lib/html.js';
import { duration } from '../lib/format.js';
import { usePolling } from '../lib/use-polling.js';
import { Chart } from '../components/chart.js';
import { StatusBadge } from '../components/status-badge.js';

const MODELS_POLL_MS = 3000;

function HealthChart({ checks }) {
  if (checks.length === 0) return html`<p class="meta health-none">No health checks yet.</p>`;
  const x = checks.map((check) => Date.parse(check.at) / 1000);
  return html`<${Chart} title="Health checks (latency)" label=${`${checks.length} health checks, ${checks.filter((check) => !check.ok).length} failed`}
    x=${x} padSeconds=${600} series=${[{ label: 'ok (ms)', legend: false, values: checks.map((check) => (check.ok ? check.latencyMs : null)) }, { label: 'failed (ms)', legend: false, values: checks.map((check) => (check.ok ? null : check.latencyMs)), points: true }]}
    format=${(value) => `${Math.round(value)} ms`} />`;
}

function ModelCard({ model }) {
  const circuit = model.circuit;
  return html`<article class="card model" data-model-id=${model.id}>
    <header class="card-head"><h2 class="card-title">${model.id}</h2>
      ${circuit ? html`<${StatusBadge} status=${circuit.state} />` : html`<span class="badge">family</span>`}
      ${model.tier && html`<span class="meta">${model.tier} tier</span>`}</header>
    <dl>
      <dt>provider</dt><dd>${model.provider} · ${model.model}</dd>
      ${model.pricing && html`<dt>price</dt><dd>$${model.pricing.inputPerMillion} in / $${model.pricing.outputPerMillion} out per million tokens</dd>`}
      ${model.contextWindow && html`<dt>context</dt><dd>${model.contextWindow.toLocaleString('en-US')} tokens</dd>`}
      ${circuit && html`<dt>failures</dt><dd class="failures">${circuit.consecutiveFailures} in a row${circuit.retryAt ? ` · retry at ${new Date(circuit.retryAt).toLocaleTimeString()}` : ''}</dd>
        <dt>last latency</dt><dd>${duration(circuit.lastLatencyMs)}</dd>
        <dt>last check</dt><dd>${circuit.lastCheckedAt ? `${circuit.lastHealthOk ? 'ok' : 'failed'} at ${new Date(circuit.lastCheckedAt).toLocaleTimeString()}` : 'never'}</dd>
        <dt>last error</dt><dd class="last-error">${circuit.lastError ?? '—'}</dd>`}
    </dl>
    ${circuit && html`<${HealthChart} checks=${model.healthChecks} />`}
  </article>`;
}

export function ModelsPage() {
  const { data, error } = usePolling('/v1/models', MODELS_POLL_MS);
  return html`<section aria-labelledby="models-title">
    <header class="page-head"><h1 id="models-title">Models</h1>
      ${data && html`<span class="meta">${data.selection === 'pool' ? 'Runs that name no model go to the pool.' : `Runs that name no model use ${data.default}.`}</span>`}</header>
    ${error && html`<p class="error" role="alert">${error.message}</p>`}
    <div class="models-grid">${data && data.models.map((model) => html`<${ModelCard} key=${model.id} model=${model} />`)}</div>
  </section>`;
}
