// A run as it happens: its header (status, models, cost, tokens, Temporal link, cancel), the
// conversation from its events and token deltas, pending reviews inline, and a message box. The
// timeline is kept in session storage, so a reload resumes the stream after the last event id.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../lib/api.js';
import { followRun } from '../lib/event-stream.js';
import { html } from '../lib/html.js';
import { TERMINAL_STATUSES, temporalLink, tokens, usd } from '../lib/format.js';
import { applyDelta, applyEvent, emptyTimeline, fillFromTranscript, TERMINAL_TYPES } from '../lib/timeline.js';
import { StatusBadge } from '../components/status-badge.js';
import { TimelineItem } from '../components/timeline-item.js';

const RUN_POLL_MS = 2000;
const SAVE_EVERY_MS = 400;
const storageKey = (runId) => `keel-run:${runId}`;

function restore(runId) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey(runId)) || 'null');
    return saved && Array.isArray(saved.items) ? saved : emptyTimeline();
  } catch {
    return emptyTimeline();
  }
}

async function fillTranscript(runId, timeline) {
  const page = await get(`/v1/runs/${runId}/messages?limit=1000`);
  fillFromTranscript(timeline, page.messages);
}

export function RunPage({ runId }) {
  const timeline = useRef(null);
  if (timeline.current === null || timeline.current.runId !== runId) timeline.current = { runId, state: restore(runId) };
  const [, setVersion] = useState(0);
  const [run, setRun] = useState(null);
  const [error, setError] = useState(null);
  const [streamState, setStreamState] = useState('connecting');
  const [message, setMessage] = useState('');
  const [notice, setNotice] = useState(null);

  useEffect(() => {
    const state = timeline.current.state;
    let frame = 0; let savedAt = 0; let saveTimer;
    const redraw = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; setVersion((value) => value + 1); }); };
    const write = () => {
      clearTimeout(saveTimer); saveTimer = undefined; savedAt = Date.now();
      try { sessionStorage.setItem(storageKey(runId), JSON.stringify(state)); } catch { /* storage full: the stream replays */ }
    };
    const save = () => {
      clearTimeout(saveTimer);
      if (Date.now() - savedAt > SAVE_EVERY_MS) write(); else saveTimer = setTimeout(write, SAVE_EVERY_MS);
    };
    // A reload or a navigation inside the throttle would drop the newest events' state: write it on the way out.
    const flush = () => { if (saveTimer !== undefined) write(); };
    window.addEventListener('pagehide', flush);
    const refresh = () => get(`/v1/runs/${runId}`).then(setRun, setError);
    refresh();
    if (state.lastEventId > 0) fillTranscript(runId, state).then(redraw, () => undefined);
    const stop = followRun(runId, {
      lastEventId: state.lastEventId || undefined,
      isTerminal: (entry) => TERMINAL_TYPES.includes(entry.event),
      onState: setStreamState,
      onMessage: (entry) => {
        if (entry.event === 'delta') applyDelta(state, entry.data);
        else if (applyEvent(state, entry.data)) {
          if (TERMINAL_TYPES.includes(entry.event)) { refresh(); fillTranscript(runId, state).then(() => { save(); redraw(); }, () => undefined); }
          if (entry.event === 'review.requested' || entry.event === 'review.decided') refresh();
        }
        save();
        redraw();
      },
    });
    const poller = setInterval(() => { if (!state.ended) refresh(); }, RUN_POLL_MS);
    return () => { stop(); clearInterval(poller); flush(); window.removeEventListener('pagehide', flush); cancelAnimationFrame(frame); };
  }, [runId]);

  const state = timeline.current.state;
  const finished = run && TERMINAL_STATUSES.includes(run.status);
  const send = async (event) => {
    event.preventDefault();
    try {
      await post(`/v1/runs/${runId}/messages`, { text: message });
      setMessage('');
      setNotice('Sent: the agent reads it at its next step.');
    } catch (failure) {
      setNotice(failure.message);
    }
  };
  const cancel = async () => {
    try { await post(`/v1/runs/${runId}/cancel`, { reason: 'cancelled from the console' }); setNotice('Cancelling…'); } catch (failure) { setNotice(failure.message); }
  };

  if (error) return html`<p class="error" role="alert">${error.message}</p>`;
  return html`<section class="run-page" aria-labelledby="run-title">
    <header class="run-head">
      <h1 id="run-title">Run <code>${runId}</code></h1>
      <div class="run-facts">
        ${run ? html`<${StatusBadge} status=${run.status} />` : html`<span class="badge">loading</span>`}
        <span><span class="label">model</span> <span class="run-model">${run ? (run.models.length ? run.models.join(' → ') : run.complexity ? `pool (${run.complexity})` : run.model ?? '—') : '—'}</span></span>
        <span><span class="label">step</span> <span class="run-step">${run ? run.step : '—'}</span></span>
        <span><span class="label">cost</span> <span class="run-cost">${run ? usd(run.costUsd) : '—'}</span></span>
        <span><span class="label">tokens</span> <span class="run-tokens">${run ? tokens(run.usage) : '—'}</span></span>
        <span class="stream-state" data-state=${streamState}>${streamState}</span>
      </div>
      <div class="actions">
        ${run && html`<a class="button" href=${temporalLink(run.links.temporal)} target="_blank" rel="noopener">Open in Temporal</a>`}
        <button type="button" class="reject" onClick=${cancel} disabled=${!run || finished}>Cancel run</button>
      </div>
    </header>
    <ol class="timeline">
      ${state.items.map((item, index) => html`<${TimelineItem} key=${index} item=${item} runId=${runId} />`)}
    </ol>
    <form class="send" onSubmit=${send}>
      <label class="field grow">Message to the agent
        <input type="text" name="message" value=${message} onInput=${(event) => setMessage(event.currentTarget.value)} disabled=${finished} /></label>
      <button type="submit" disabled=${finished || !message.trim()}>Send</button>
      <span class="meta" role="status">${notice ?? ''}</span>
    </form>
  </section>`;
}
