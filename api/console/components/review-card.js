// A pending review with approve, reject and edit (a tool call's arguments are editable JSON): used
// inline on the run page and on the reviews page. Decides through POST /v1/runs/:id/reviews/:reviewId.
import { useState } from 'preact/hooks';
import { post } from '../lib/api.js';
import { html } from '../lib/html.js';
import { json } from '../lib/format.js';

export function ReviewCard({ review, onDecided, heading = 'h2' }) {
  const { arguments: args, ...rest } = review.context || {};
  const original = args === undefined ? '' : json(args);
  const [edited, setEdited] = useState(original);
  const [reason, setReason] = useState('');
  const [decision, setOutcome] = useState(null);
  // Decided here, or elsewhere (the run page's review.decided event updates `review.status`).
  const outcome = decision || (review.status && review.status !== 'pending' ? { status: review.status } : null);
  const [busy, setBusy] = useState(false);

  const decide = async (action) => {
    const body = { action };
    if (reason.trim()) body.reason = reason.trim();
    if (action === 'approve' && args !== undefined && edited.trim() !== original.trim()) {
      try { body.arguments = JSON.parse(edited); } catch { setOutcome({ error: 'arguments are not valid JSON' }); return; }
      body.action = 'edit';
    }
    setBusy(true);
    try {
      const answer = await post(`/v1/runs/${review.runId}/reviews/${review.id}`, body);
      setOutcome({ status: answer.status });
      onDecided?.(answer);
    } catch (error) {
      setOutcome({ error: error.message });
    } finally {
      setBusy(false);
    }
  };

  const Heading = heading;
  const decided = outcome && outcome.status && outcome.status !== 'pending';
  return html`<section class="card review" data-review-id=${review.id} aria-label=${`review: ${review.summary}`}>
    <${Heading} class="card-title">${review.summary || review.kind}</${Heading}>
    <div class="meta">${review.kind} · <a href=${`/console/runs/${review.runId}`}>run ${review.runId}</a> · step ${review.step}${review.expiresAt ? ` · expires ${new Date(review.expiresAt).toLocaleString()}` : ''}</div>
    ${Object.keys(rest).length > 0 && html`<details><summary>Why it waits</summary><pre>${json(rest)}</pre></details>`}
    ${args !== undefined && html`<label class="field">Arguments (edit to approve with changes)
      <textarea name="arguments" rows="4" value=${edited} onInput=${(event) => setEdited(event.currentTarget.value)} disabled=${decided}></textarea></label>`}
    <div class="actions">
      <input type="text" name="reason" placeholder="reason (the agent reads it)" aria-label="reason" value=${reason} onInput=${(event) => setReason(event.currentTarget.value)} disabled=${decided} />
      <button type="button" class="approve" onClick=${() => decide('approve')} disabled=${busy || decided}>${args !== undefined && edited.trim() !== original.trim() ? 'Approve with edits' : 'Approve'}</button>
      <button type="button" class="reject" onClick=${() => decide('reject')} disabled=${busy || decided}>Reject</button>
      <span class=${outcome && outcome.error ? 'error' : 'outcome'} role="status">${outcome ? outcome.error || outcome.status : ''}</span>
    </div>
  </section>`;
}
