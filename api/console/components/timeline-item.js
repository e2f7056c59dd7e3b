// One entry of a run's timeline: a message, a model attempt (streamed text, reasoning collapsed, a
// discarded attempt struck through), a tool card, a review, a context cut, a check, a fork's origin or the end.
import { html } from '../lib/html.js';
import { duration, tokens, usd } from '../lib/format.js';
import { ReviewCard } from './review-card.js';
import { StatusBadge } from './status-badge.js';
import { ToolCard } from './tool-card.js';

function Attempt({ item }) {
  const discarded = item.status === 'reset' || item.status === 'failed';
  return html`<div class=${`card attempt attempt-${item.status}`} data-model=${item.model} data-step=${item.step}>
    <header class="card-head">
      <h3 class="card-title">${item.model}</h3><${StatusBadge} status=${item.status === 'reset' ? 'discarded' : item.status} />
      <span class="meta">step ${item.step}${item.attempt ? ` · attempt ${item.attempt}` : ''}${item.status === 'finished' ? ` · ${tokens(item.usage)} · ${usd(item.costUsd)} · ${duration(item.latencyMs)}` : ''}</span>
    </header>
    ${item.fallbackFrom && html`<div class="fallback meta">Fallback from ${item.fallbackFrom}</div>`}
    ${item.reasoning && html`<details class="reasoning"><summary>Reasoning (${item.reasoning.length.toLocaleString('en-US')} characters)</summary><pre>${item.reasoning}</pre></details>`}
    ${(item.text || item.status === 'streaming') && html`<div class=${discarded ? 'assistant-text discarded' : 'assistant-text'}>${item.text}${item.status === 'streaming' && html`<span class="cursor" aria-hidden="true">▍</span>`}</div>`}
    ${Object.entries(item.toolArguments || {}).length > 0 && item.status === 'streaming' && html`<pre class="meta">${Object.values(item.toolArguments).join('\n')}</pre>`}
    ${item.status === 'reset' && html`<div class="reset-note" role="note">Stream reset: ${item.discardedDeltas ?? 0} deltas discarded (${item.error}). The next attempt streams afresh.</div>`}
    ${item.status === 'failed' && html`<div class="error">${item.failureType ? `${item.failureType}: ` : ''}${item.error}</div>`}
  </div>`;
}

function End({ item }) {
  const data = item.data || {};
  const text = data.answer ?? data.error ?? data.message ?? data.reason ?? '';
  return html`<div class=${`card end end-${data.type}`} role="status">
    <header class="card-head"><h3 class="card-title">Run ${String(data.type).replace(/_/g, ' ')}</h3>
      <span class="meta">step ${data.step} · ${tokens(data.usage)}${data.costUsd !== undefined ? ` · ${usd(data.costUsd)}` : ''}</span></header>
    ${text && html`<div class="assistant-text">${text}</div>`}
  </div>`;
}

export function TimelineItem({ item, runId }) {
  switch (item.kind) {
    case 'start':
      return html`<li class="mark">Started with ${(item.models || []).join(', ') || 'the pool'}${item.complexity ? ` (${item.complexity})` : ''}; tools: ${(item.tools || []).join(', ')}</li>`;
    case 'fork':
      return html`<li class="mark fork">Forked from <a href=${`/console/runs/${item.parentRunId}`}><code>${item.parentRunId}</code></a> after step ${item.fromStep}; ${item.workspaceFrom ? `workspace of step ${item.workspaceFrom.step} restored (${item.restoredEntries} ${item.restoredEntries === 1 ? 'entry' : 'entries'})` : 'empty workspace (no tools had run)'}</li>`;
    case 'message':
      return html`<li><div class=${`card message role-${item.role}`}><div class="label">${item.role}</div><div class="message-text">${item.text}</div></div></li>`;
    case 'selection':
      return html`<li class="mark">Model selection: ${item.decision}${item.skipped.length ? ` · skipped ${item.skipped.map((entry) => `${entry.modelId} (${entry.reason})`).join(', ')}` : ''}</li>`;
    case 'attempt':
      return html`<li><${Attempt} item=${item} /></li>`;
    case 'call-failed':
      return html`<li class="mark error">${item.model}: ${item.called ? '' : 'not called: '}${item.error}</li>`;
    case 'tool':
      return html`<li><${ToolCard} runId=${runId} card=${item} /></li>`;
    case 'review':
      return html`<li><${ReviewCard} heading="h3" review=${{ id: item.reviewId, runId, kind: item.reviewKind, step: item.step, summary: item.summary, context: item.context, expiresAt: item.status === 'pending' ? item.expiresAt : null, status: item.status }} /></li>`;
    case 'context-cut':
      return html`<li class="mark context-cut">Context cut at step ${item.step}: ${item.droppedMessages} messages (${item.droppedTokens.toLocaleString('en-US')} tokens) dropped, ${item.keptMessages} kept; ${item.summary === 'new' ? `summarised by ${item.summaryModel}` : item.summary === 'reused' ? 'earlier summary reused' : 'placeholder summary'}</li>`;
    case 'rollback':
      return html`<li class="mark">Rolled back ${item.toolName}: ${item.restored.length} restored, ${item.removed.length} removed</li>`;
    case 'answer':
      return html`<li class="mark">Final answer from ${item.model}</li>`;
    case 'check':
      return html`<li><div class=${item.doubtful ? 'card check doubtful' : 'card check'}><div class="card-title">${item.title}</div><pre>${item.detail}</pre></div></li>`;
    case 'end':
      return html`<li><${End} item=${item} /></li>`;
    default:
      return null;
  }
}
