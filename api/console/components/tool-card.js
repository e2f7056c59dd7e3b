// One tool call on the run page: its arguments (a diff for file edits), the verdict that let it run
// (safety, review, prediction), the output preview, the full output on demand, and the workspace
// paths it changed beyond what it named.
import { useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { html } from '../lib/html.js';
import { duration, json } from '../lib/format.js';
import { StatusBadge } from './status-badge.js';

function ArgumentsView({ toolName, args }) {
  if (toolName === 'edit_file' && typeof args.old_text === 'string') {
    const lines = [...args.old_text.split('\n').map((line) => ['del', `- ${line}`]), ...String(args.new_text ?? '').split('\n').map((line) => ['add', `+ ${line}`])];
    return html`<div class="meta">${args.path}</div><pre class="diff">${lines.map(([kind, line]) => html`<span class=${kind}>${`${line}\n`}</span>`)}</pre>`;
  }
  if (toolName === 'write_file' && typeof args.content === 'string') {
    return html`<div class="meta">${args.path} (new content)</div><pre class="diff">${args.content.replace(/\n$/, '').split('\n').map((line) => html`<span class="add">${`+ ${line}\n`}</span>`)}</pre>`;
  }
  return html`<pre class="arguments">${json(args)}</pre>`;
}

function verdictOf(card) {
  const parts = [];
  if (card.safety && typeof card.safety === 'object') parts.push(`safety: ${card.safety.verdict ?? ''}${card.safety.risk ? ` (${card.safety.risk} risk)` : ''}`);
  if (card.review && typeof card.review === 'object') parts.push(`review: ${card.review.action ?? card.review.status ?? 'decided'}${card.review.decidedBy ? ` by ${card.review.decidedBy}` : ''}`);
  if (card.prediction) parts.push(`prediction: ${card.prediction.verdict}`);
  if (card.mismatch) parts.push(`refused: ${card.mismatch.reason || 'predicted outcome does not match the request'}`);
  return parts.length === 0 ? 'allowed by policy' : parts.join(' · ');
}

function SideEffects({ effects }) {
  const rows = [...effects.created.map((file) => ['add', `+ ${file}`]), ...effects.modified.map((file) => ['mod', `~ ${file}`]), ...effects.deleted.map((file) => ['del', `- ${file}`])];
  return html`<div class="side-effects"><div class="meta">Changed beyond what it named (${effects.action}${effects.truncated ? ', list cut' : ''})</div>
    <pre class="diff">${rows.map(([kind, line]) => html`<span class=${kind}>${`${line}\n`}</span>`)}</pre></div>`;
}

export function ToolCard({ runId, card }) {
  const [full, setFull] = useState(null);
  const [loading, setLoading] = useState(false);
  const expand = async () => {
    setLoading(true);
    try {
      const page = await get(`/v1/runs/${runId}/tool-outputs/${encodeURIComponent(card.callId)}?step=${card.step}&limit=2000`);
      setFull(page.text + (page.lastLine < page.totalLines ? `\n… (${page.totalLines - page.lastLine} more lines)` : ''));
    } catch (error) {
      setFull(`could not read the full output: ${error.message}`);
    } finally {
      setLoading(false);
    }
  };
  const truncated = card.outputChars !== undefined && card.outputPreview !== undefined && card.outputChars > card.outputPreview.length;
  return html`<article class=${`card tool tool-${card.status}`} data-call-id=${card.callId} data-tool=${card.toolName}>
    <header class="card-head"><h3 class="card-title">${card.toolName}</h3><${StatusBadge} status=${card.status} />
      <span class="meta">step ${card.step}${card.durationMs !== undefined ? ` · ${duration(card.durationMs)}` : ''}</span></header>
    <${ArgumentsView} toolName=${card.toolName} args=${card.arguments || {}} />
    <div class="verdict meta">${verdictOf(card)}</div>
    ${card.outputPreview !== undefined && html`<pre class=${card.isError ? 'output error-output' : 'output'}>${full ?? card.outputPreview}</pre>`}
    ${truncated && full === null && html`<button type="button" class="link expand" onClick=${expand} disabled=${loading}>Show the full output (${card.outputChars.toLocaleString('en-US')} characters)</button>`}
    ${card.sideEffects && html`<${SideEffects} effects=${card.sideEffects} />`}
    ${card.rollback && html`<div class="meta">Rolled back: ${card.rollback.restored.length} restored, ${card.rollback.removed.length} removed${card.rollback.failed.length ? `, ${card.rollback.failed.length} failed` : ''}</div>`}
  </article>`;
}
