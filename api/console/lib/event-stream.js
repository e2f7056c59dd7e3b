// Follows a run's SSE stream with fetch, not EventSource: EventSource cannot send the Authorization
// header the events route requires. Reconnects with Last-Event-ID after a drop, so nothing is missed
// or repeated; stops after the run's terminal event (the server then ends the stream).
import { authHeaders } from './api.js';

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000];

function parseBlock(block) {
  let id; let event = 'message'; const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  try { return { id, event, data: JSON.parse(data.join('\n')) }; } catch { return undefined; }
}

/**
 * Starts following; `onMessage({ id, event, data })` gets every persisted event and delta in order.
 * `lastEventId` resumes after that event. Returns a function that stops following.
 */
export function followRun(runId, { lastEventId, onMessage, onState, isTerminal }) {
  const controller = new AbortController();
  let lastId = lastEventId;
  let failures = 0;
  let done = false;

  const readOnce = async () => {
    const headers = authHeaders({ accept: 'text/event-stream' });
    if (lastId !== undefined && lastId !== null) headers['last-event-id'] = String(lastId);
    const response = await fetch(`/v1/runs/${runId}/events`, { headers, signal: controller.signal });
    if (!response.ok || !response.body) {
      const error = new Error(`the event stream answered ${response.status}`);
      error.status = response.status;
      throw error;
    }
    onState?.('live');
    failures = 0;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      buffer += value;
      let boundary;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const message = parseBlock(buffer.slice(0, boundary));
        buffer = buffer.slice(boundary + 2);
        if (!message) continue;
        if (message.id !== undefined) lastId = Number(message.id);
        onMessage(message);
        if (isTerminal(message)) done = true;
      }
    }
  };

  (async () => {
    while (!done && !controller.signal.aborted) {
      try {
        await readOnce();
      } catch (error) {
        if (controller.signal.aborted) return;
        // 4xx other than a timeout will not get better by retrying.
        if (error.status && error.status >= 400 && error.status < 500 && error.status !== 408) { onState?.('error', error.message); return; }
        failures += 1;
      }
      if (done || controller.signal.aborted) break;
      onState?.('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)]));
    }
    if (done) onState?.('ended');
  })();

  return () => controller.abort();
}
