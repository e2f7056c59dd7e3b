// The bounded in-memory log of model requests the server received, for tests and debugging.
// A ring buffer: recording is O(1) and keeps the parsed body by reference, never copying it.
import { matchesGlob } from './model-glob';
import type { WireFormat } from './model-call';

export const DEFAULT_REQUEST_LOG_CAPACITY = 10_000;

export type RequestOutcome = 'reply' | 'fault' | 'no-scenario' | 'no-rule' | 'invalid';

export type RecordedRequest = {
  sequence: number;
  receivedAt: string;
  path: string;
  wireFormat: WireFormat;
  model?: string;
  stream?: boolean;
  turn?: number;
  conversationKey?: string;
  /** Request headers without credentials. */
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  scenario?: string;
  ruleIndex?: number;
  outcome: RequestOutcome;
  status: number;
};

export type RequestFilter = { model?: string; scenario?: string; wireFormat?: WireFormat; limit?: number };

const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'cookie', 'proxy-authorization']);

export function withoutCredentials(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  const kept: Record<string, string | string[] | undefined> = {};
  for (const name in headers) if (!CREDENTIAL_HEADERS.has(name)) kept[name] = headers[name];
  return kept;
}

export class RequestLog {
  private readonly entries: (RecordedRequest | undefined)[];
  private next = 0;
  private count = 0;
  private sequence = 0;

  constructor(private readonly capacity = DEFAULT_REQUEST_LOG_CAPACITY) {
    this.entries = new Array<RecordedRequest | undefined>(capacity);
  }

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  record(entry: RecordedRequest): void {
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Recorded requests, oldest first; `model` may be a glob; `limit` keeps the newest. */
  list(filter: RequestFilter = {}): RecordedRequest[] {
    const result: RecordedRequest[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let offset = 0; offset < this.count; offset += 1) {
      const entry = this.entries[(start + offset) % this.capacity];
      if (!entry) continue;
      if (filter.model !== undefined && (entry.model === undefined || !matchesGlob(filter.model, entry.model))) continue;
      if (filter.scenario !== undefined && entry.scenario !== filter.scenario) continue;
      if (filter.wireFormat !== undefined && entry.wireFormat !== filter.wireFormat) continue;
      result.push(entry);
    }
    return filter.limit !== undefined ? result.slice(Math.max(0, result.length - filter.limit)) : result;
  }

  clear(): void {
    this.entries.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }
}
