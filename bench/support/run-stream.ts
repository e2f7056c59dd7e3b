// Starts a run through the public API and yields its SSE events as they arrive (with the arrival
// time), until the terminal event: the shared client of every benchmark.
import { TERMINAL_EVENT_TYPES } from '../../core/events';

export type StreamedEvent = { type: string; data: string | undefined; arrivedAt: number; terminal: boolean };

export async function* startRunAndStream(apiUrl: string, apiKey: string, body: Record<string, unknown>): AsyncGenerator<StreamedEvent, void, void> {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${apiUrl}/v1/runs`, { method: 'POST', headers, body: JSON.stringify(body) });
  const run = (await created.json()) as { id: string };
  if (created.status !== 202) throw new Error(`POST /v1/runs answered ${created.status}: ${JSON.stringify(run)}`);
  yield { type: 'run.created', data: run.id, arrivedAt: performance.now(), terminal: false };
  const stream = await fetch(`${apiUrl}/v1/runs/${run.id}/events`, { headers: { authorization: headers.authorization } });
  if (!stream.body) throw new Error('no SSE body');
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of stream.body) {
    const arrivedAt = performance.now();
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const type = /^event: (.+)$/m.exec(block)?.[1];
      if (!type) continue;
      const terminal = TERMINAL_EVENT_TYPES.includes(type);
      yield { type, data: /^data: (.+)$/m.exec(block)?.[1], arrivedAt, terminal };
      if (terminal) return;
    }
  }
  throw new Error(`run ${run.id}: the event stream ended without a terminal event`);
}
