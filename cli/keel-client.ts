// The CLI's HTTP client: JSON requests with the API key, answers checked with zod, Keel's error body
// turned into a KeelApiError, and a run's event stream read as server-sent events.
import type { z } from 'zod';
import { apiErrorBody } from './api-shapes';
import type { CliConfig } from './cli-config';

/** Thrown when Keel answers with an error status; carries its `{ error: { code, message } }`. */
export class KeelApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'KeelApiError';
  }
}

/** Thrown when Keel cannot be reached or answers something that is not its API. */
export class KeelUnreachable extends Error {
  constructor(readonly url: string, problem: string) {
    super(`${url}: ${problem}`);
    this.name = 'KeelUnreachable';
  }
}

export type SseMessage = { id?: string; event: string; data: string };

export class KeelClient {
  constructor(private readonly config: CliConfig) {}

  async request<T>(method: string, path: string, shape: z.ZodType<T>, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' });
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) {
      const error = apiErrorBody.safeParse(json);
      if (error.success) throw new KeelApiError(response.status, error.data.error.code, error.data.error.message, error.data.error.details);
      throw new KeelApiError(response.status, `http_${response.status}`, text.slice(0, 200) || response.statusText);
    }
    const parsed = shape.safeParse(json);
    if (!parsed.success) throw new KeelUnreachable(this.config.url, `unexpected answer to ${method} ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  /** A run's events from `lastEventId` on, until the server ends the stream (after the terminal event). */
  async *events(runId: string, lastEventId?: string, signal?: AbortSignal): AsyncGenerator<SseMessage> {
    const response = await this.send('GET', `/v1/runs/${runId}/events`, { accept: 'text/event-stream', lastEventId, signal });
    if (!response.ok || !response.body) {
      const error = apiErrorBody.safeParse(parseJson(await response.text()));
      if (error.success) throw new KeelApiError(response.status, error.data.error.code, error.data.error.message);
      throw new KeelApiError(response.status, `http_${response.status}`, 'the event stream did not open');
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const message = parseSseBlock(buffer.slice(0, boundary));
        buffer = buffer.slice(boundary + 2);
        if (message) yield message;
      }
    }
  }

  private async send(method: string, path: string, options: { body?: string; contentType?: string; accept?: string; lastEventId?: string; signal?: AbortSignal }): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.config.apiKey}`, accept: options.accept ?? 'application/json' };
    if (options.contentType) headers['content-type'] = options.contentType;
    if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
    try {
      return await fetch(`${this.config.url}${path}`, { method, headers, body: options.body, signal: options.signal });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new KeelUnreachable(this.config.url, cause?.code ?? cause?.message ?? (error as Error).message);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function parseSseBlock(block: string): SseMessage | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { id, event, data: data.join('\n') };
}
