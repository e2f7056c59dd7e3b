// Checks a finished run for what a fault could have broken: the transcript (seq contiguous, one
// assistant turn per step, one result per tool call, in order) and the event stream (one start,
// one terminal event last, each step's model call finished once, each tool call started and
// finished once, and the live SSE client saw every persisted event).
import { TERMINAL_EVENT_TYPES } from '../../../core/events';
import { api, readSse, type SseMessage } from '../../support/api-client';

export type RunAudit = {
  runId: string;
  status: string;
  /** Why a run that did not complete ended (its outcome's error, or its last error). */
  error?: string;
  /** Assistant turns in the transcript (the model calls a fault-free run makes). */
  assistantTurns: number;
  transcriptProblems: string[];
  eventProblems: string[];
  /** Each tool result as `step tool: first line of output`, to show what a run was told when its files disagree. */
  toolResults: string[];
};

type Entry = { seq: number; step: number; message: { type: string; parts?: Array<{ type: string; callId?: string }>; callId?: string; toolName?: string; output?: string; isError?: boolean } };

export async function readTranscript(baseUrl: string, key: string, runId: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  let after = 0;
  for (;;) {
    const page = await api(baseUrl, 'GET', `/v1/runs/${runId}/messages?after=${after}&limit=500`, { key });
    if (page.status !== 200) throw new Error(`GET messages of ${runId} answered ${page.status}: ${JSON.stringify(page.body)}`);
    entries.push(...(page.body.messages as Entry[]));
    if (page.body.next === null) return entries;
    after = page.body.next as number;
  }
}

export function transcriptProblems(entries: Entry[]): string[] {
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    if (entry.seq !== index + 1) problems.push(`seq ${entry.seq} at position ${index + 1}`);
  });
  let expectedStep = 1;
  let awaiting: string[] = [];
  for (const entry of entries) {
    const { message } = entry;
    if (message.type === 'assistant') {
      if (awaiting.length > 0) problems.push(`step ${entry.step}: results missing for ${awaiting.join(', ')}`);
      if (entry.step !== expectedStep) problems.push(`assistant turn of step ${entry.step} where step ${expectedStep} was due`);
      expectedStep = entry.step + 1;
      awaiting = (message.parts ?? []).filter((part) => part.type === 'tool-call').map((part) => part.callId ?? '?');
    } else if (message.type === 'tool-result') {
      if (awaiting[0] !== message.callId) problems.push(`step ${entry.step}: result for ${message.callId} where ${awaiting[0] ?? 'none'} was due`);
      awaiting.shift();
    }
  }
  if (awaiting.length > 0) problems.push(`results missing at the end for ${awaiting.join(', ')}`);
  const last = entries[entries.length - 1];
  if (!last || last.message.type !== 'assistant') problems.push('the transcript does not end with an assistant answer');
  return problems;
}

export function eventProblems(events: SseMessage[], assistantSteps: number, toolCalls: number, live?: SseMessage[]): string[] {
  const problems: string[] = [];
  const persisted = events.filter((event) => event.id !== undefined);
  const ids = persisted.map((event) => Number(event.id));
  if (ids.some((id, index) => index > 0 && id <= ids[index - 1]!)) problems.push('event ids are not increasing');
  const count = (type: string) => persisted.filter((event) => event.event === type).length;
  if (count('run.started') !== 1) problems.push(`${count('run.started')} run.started events`);
  const terminal = persisted.filter((event) => TERMINAL_EVENT_TYPES.includes(event.event));
  if (terminal.length !== 1) problems.push(`${terminal.length} terminal events`);
  else if (persisted[persisted.length - 1] !== terminal[0]) problems.push('the terminal event is not the last');
  const finishedSteps = persisted.filter((event) => event.event === 'model-call.finished').map((event) => event.data.data.step as number);
  for (let step = 1; step <= assistantSteps; step += 1) {
    const times = finishedSteps.filter((value) => value === step).length;
    if (times !== 1) problems.push(`step ${step}: ${times} model-call.finished events`);
  }
  if (count('tool-call.started') !== toolCalls) problems.push(`${count('tool-call.started')} tool-call.started events for ${toolCalls} calls`);
  if (count('tool-call.finished') !== toolCalls) problems.push(`${count('tool-call.finished')} tool-call.finished events for ${toolCalls} calls`);
  if (live) {
    const liveIds = live.filter((event) => event.id !== undefined).map((event) => Number(event.id));
    const missing = ids.filter((id) => !liveIds.includes(id));
    if (missing.length > 0) problems.push(`the live stream missed events ${missing.join(', ')}`);
    if (liveIds.length !== new Set(liveIds).size) problems.push('the live stream repeated an event');
  }
  return problems;
}

/** Audits one finished run; `live` is what an SSE client that followed it from the start received. */
export async function auditRun(baseUrl: string, key: string, runId: string, live?: SseMessage[]): Promise<RunAudit> {
  const run = await api(baseUrl, 'GET', `/v1/runs/${runId}`, { key });
  const entries = await readTranscript(baseUrl, key, runId);
  const assistants = entries.filter((entry) => entry.message.type === 'assistant');
  const toolCalls = assistants.flatMap((entry) => (entry.message.parts ?? []).filter((part) => part.type === 'tool-call')).length;
  const events = await readSse(baseUrl, key, runId, { timeoutMs: 30_000 });
  return {
    runId,
    status: run.body.status as string,
    error: (run.body.outcome?.error as string | undefined) ?? (run.body.lastError as string | null) ?? undefined,
    assistantTurns: assistants.length,
    transcriptProblems: transcriptProblems(entries),
    eventProblems: eventProblems(events, assistants.length, toolCalls, live),
    toolResults: entries
      .filter((entry) => entry.message.type === 'tool-result')
      .map((entry) => `step ${entry.step} ${entry.message.toolName}${entry.message.isError ? ' (error)' : ''}: ${(entry.message.output ?? '').replace(/\s+/g, ' ').slice(0, 160)}`),
  };
}

/** Follows a run over SSE from its first event until the terminal one (or the timeout). */
export function followRun(baseUrl: string, key: string, runId: string, timeoutMs: number): Promise<SseMessage[]> {
  return readSse(baseUrl, key, runId, { timeoutMs, stopAfter: (message) => TERMINAL_EVENT_TYPES.includes(message.event) }).catch((error: Error) => [
    { event: 'client.error', data: { message: error.message } },
  ]);
}

/**
 * Follows a run as a careful client does across outages: when the stream breaks or cannot be
 * opened, it reconnects with Last-Event-ID. Returns every event received, once each, and the
 * statuses of refused attempts (which must carry a JSON error body, see `refusals`).
 */
export async function followRunResuming(baseUrl: string, key: string, runId: string, timeoutMs: number): Promise<{ events: SseMessage[]; reconnects: number }> {
  const deadline = Date.now() + timeoutMs;
  const events: SseMessage[] = [];
  let lastEventId: string | undefined;
  let reconnects = -1;
  while (Date.now() < deadline) {
    reconnects += 1;
    try {
      const page = await readSse(baseUrl, key, runId, {
        lastEventId,
        timeoutMs: Math.max(1000, deadline - Date.now()),
        stopAfter: (message) => TERMINAL_EVENT_TYPES.includes(message.event),
      });
      for (const message of page) {
        if (message.id !== undefined) lastEventId = message.id;
        events.push(message);
      }
      if (page.some((message) => TERMINAL_EVENT_TYPES.includes(message.event))) break;
    } catch {
      // Refused (the API could not reach its database) or the connection broke: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { events, reconnects };
}
