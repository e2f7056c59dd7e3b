// The response cache's contract: a model reply kept under its request's key for a time, in Redis
// (shared by every worker) or in process (embedded mode). Entries are parsed when read, since
// another process, or an older version, wrote them.
import { z } from 'zod';
import { messageSchema } from '../../core/message-schema';
import type { AssistantMessage, Usage } from '../../core/messages';

const usageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number().optional(),
  reasoningTokens: z.number().optional(),
});

export const cachedResponseSchema = z.object({
  message: messageSchema,
  usage: usageSchema,
  finishReason: z.enum(['stop', 'tool-calls', 'length', 'content-filter', 'other']),
  /** The run and step whose call made the reply (a hit names them). */
  runId: z.string(),
  step: z.number().int().min(0),
});

export type CachedResponse = {
  message: AssistantMessage;
  usage: Usage;
  finishReason: z.output<typeof cachedResponseSchema>['finishReason'];
  runId: string;
  step: number;
};

/** Thrown when a stored entry does not parse: the caller treats it as a miss and overwrites it. */
export class CachedResponseInvalid extends Error {
  constructor(readonly key: string, readonly issues: string) {
    super(`cached response ${key} is invalid: ${issues}`);
    this.name = 'CachedResponseInvalid';
  }
}

/** Parses what a store read back; an entry that is not an assistant reply is invalid. */
export function parseCachedResponse(key: string, value: unknown): CachedResponse {
  const parsed = cachedResponseSchema.safeParse(value);
  if (!parsed.success) throw new CachedResponseInvalid(key, parsed.error.message);
  const { message, ...rest } = parsed.data;
  if (message.type !== 'assistant') throw new CachedResponseInvalid(key, `message of type ${message.type}, not an assistant reply`);
  return { ...rest, message };
}

export interface ResponseCacheStore {
  /** What the store is, for logs: `redis` or `in-process`. */
  readonly kind: 'redis' | 'in-process';
  /** The entry under `key`, or undefined when there is none or it expired. */
  get(key: string): Promise<CachedResponse | undefined>;
  /** Keeps `response` under `key` for `ttlSeconds`, replacing any entry there. */
  set(key: string, response: CachedResponse, ttlSeconds: number): Promise<void>;
  /** Releases connections the store opened itself. */
  close(): Promise<void>;
}
