// Time to first token, measured two ways: the `openai` SDK streaming straight from the local model
// server, and a Keel run followed over its SSE: from POST /v1/runs to the first `delta`, and (in a
// run whose first step is a tool call) from the step's `tool-call.finished` to the next step's first
// text delta. The SSE stream is read to the run's terminal event, so runs never overlap.
import OpenAI from 'openai';
import { FIRST_PIECE } from './models-pool';
import { startRunAndStream } from './run-stream';

export type KeelTtft = {
  /** POST /v1/runs to the first delta on the SSE stream. */
  ms: number;
  /** The previous step's `tool-call.finished` to this step's first text delta (two-step runs). */
  nextStepMs?: number;
  firstModel: string;
  status: string;
};

export async function sdkTtft(client: OpenAI, model: string, message: string): Promise<number> {
  const begin = performance.now();
  const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'system', content: 'You are a benchmark agent.' }, { role: 'user', content: message }] });
  let first: number | undefined;
  for await (const chunk of stream) {
    if (first === undefined && chunk.choices[0]?.delta?.content) first = performance.now() - begin;
  }
  if (first === undefined) throw new Error('the SDK stream carried no content');
  return first;
}

type Delta = { kind?: string; text?: string; model?: string };

export async function keelTtft(apiUrl: string, apiKey: string, body: Record<string, unknown>): Promise<KeelTtft> {
  const begin = performance.now();
  let runId = '';
  let first: { at: number; delta: Delta } | undefined;
  let toolFinishedAt: number | undefined;
  let nextStepText: { at: number; delta: Delta } | undefined;
  let status: string | undefined;
  for await (const event of startRunAndStream(apiUrl, apiKey, body)) {
    if (event.type === 'run.created') runId = event.data ?? '';
    if (event.type === 'delta') {
      const delta = JSON.parse(event.data ?? '{}') as Delta;
      first ??= { at: event.arrivedAt, delta };
      if (toolFinishedAt !== undefined && delta.kind === 'text') nextStepText ??= { at: event.arrivedAt, delta };
    }
    if (event.type === 'tool-call.finished') toolFinishedAt ??= event.arrivedAt;
    if (event.terminal) status = event.type.replace('run.', '');
  }
  const run = { id: runId };
  if (!first) throw new Error(`run ${run.id}: no delta reached the SSE stream (status ${status})`);
  const opening = nextStepText ?? first;
  // A stream that attached after the first delta would measure a later one: such a sample is void.
  if (opening.delta.text !== FIRST_PIECE) throw new Error(`run ${run.id}: the first text delta seen was "${opening.delta.text}", not the first piece; the SSE stream attached late`);
  return {
    ms: first.at - begin,
    ...(nextStepText && toolFinishedAt !== undefined && { nextStepMs: nextStepText.at - toolFinishedAt }),
    firstModel: opening.delta.model ?? '',
    status: status ?? 'unknown',
  };
}
