// A small HTTP client for tests: JSON requests with an API key, run polling, and an SSE reader.
import { TERMINAL_STATUSES, type RunStatus } from '../../core/run-status';

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

export async function api<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: tests assert on the text.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export async function waitForRun(baseUrl: string, key: string, runId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(baseUrl, 'GET', `/v1/runs/${runId}`, { key });
    if (TERMINAL_STATUSES.includes(body.status as RunStatus)) return body;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${body.status} after ${timeoutMs} ms: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export type SseMessage = { id?: string; event: string; data: any };

/** Reads a run's SSE stream until the server ends it (after the terminal event) or the timeout. */
export async function readSse(
  baseUrl: string,
  key: string,
  runId: string,
  options: { lastEventId?: string; timeoutMs?: number; stopAfter?: (message: SseMessage) => boolean } = {},
): Promise<SseMessage[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 60_000);
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: 'text/event-stream' };
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const messages: SseMessage[] = [];
  try {
    const response = await fetch(`${baseUrl}/v1/runs/${runId}/events`, { headers, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`SSE answered ${response.status}: ${await response.text()}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const message = parseBlock(block);
        if (!message) continue;
        messages.push(message);
        if (options.stopAfter?.(message)) {
          controller.abort();
          return messages;
        }
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return messages;
}

function parseBlock(block: string): SseMessage | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length === 0) return undefined;
  return { id, event, data: JSON.parse(data.join('\n')) };
}

/** Polls the tenant's reviews of a run until one with the given status shows up. */
export async function waitForReview(baseUrl: string, key: string, runId: string, options: { status?: string; timeoutMs?: number } = {}): Promise<any> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const { body } = await api(baseUrl, 'GET', `/v1/reviews?runId=${runId}&status=${options.status ?? 'pending'}`, { key });
    const review = body.reviews?.[0];
    if (review) return review;
    if (Date.now() > deadline) throw new Error(`run ${runId} has no ${options.status ?? 'pending'} review: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
