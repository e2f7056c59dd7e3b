// Drives one run through Keel's public path: POST /v1/runs, then its SSE stream to the end.
import { TERMINAL_EVENT_TYPES } from '../../core/events';

export type FollowedRun = { runId: string; ms: number; status: string; steps: number; startedAt: number; stepStartedAt: number[] };

export async function followRun(apiUrl: string, apiKey: string, body: Record<string, unknown>): Promise<FollowedRun> {
  const begin = performance.now();
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${apiUrl}/v1/runs`, { method: 'POST', headers, body: JSON.stringify(body) });
  const run = (await created.json()) as { id: string };
  if (created.status !== 202) throw new Error(`POST /v1/runs answered ${created.status}: ${JSON.stringify(run)}`);
  const stream = await fetch(`${apiUrl}/v1/runs/${run.id}/events`, { headers: { authorization: headers.authorization } });
  if (!stream.body) throw new Error('no SSE body');
  const stepStartedAt: number[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  let terminal: { type: string; data: { step?: number } } | undefined;
  for await (const chunk of stream.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const type = /^event: (.+)$/m.exec(block)?.[1];
      if (type === 'model-call.started') stepStartedAt.push(performance.now());
      if (type && TERMINAL_EVENT_TYPES.includes(type)) {
        const data = /^data: (.+)$/m.exec(block)?.[1];
        terminal = data ? JSON.parse(data) : { type, data: {} };
      }
    }
    if (terminal) break;
  }
  const ms = performance.now() - begin;
  if (!terminal) throw new Error(`run ${run.id}: the event stream ended without a terminal event`);
  return { runId: run.id, ms, status: terminal.type.replace('run.', ''), steps: terminal.data.step ?? 0, startedAt: begin, stepStartedAt };
}
