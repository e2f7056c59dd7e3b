// The exact response cache of a step's model call: a deterministic request (temperature 0, see
// core/cache/response-cacheable.ts) is keyed by SHA-256 of the tenant, the model and the canonical
// request as sent (system prompt, messages, tools, output schema, output cap, temperature). A hit
// answers the step without the provider; a miss is remembered after the step recorded its reply.
// Lookups and writes never fail a step: a store that fails is a miss.
import { createHash } from 'node:crypto';
import { canonicalJson, responseCacheability } from '../../core/cache';
import type { AssistantMessage, Message } from '../../core/messages';
import type { ModelSpec } from '../../core/model-spec';
import type { ToolSpec } from '../../core/tool-spec';
import type { FinishReason } from '../../providers/types';
import type { CachedResponse, ResponseCacheStore } from '../../stores/response-cache';
import type { Logger } from '../../runtime/logger';
import type { CacheLedger } from '../records/cache-ledger';
import type { RunPolicies } from '../records/run-policies';
import { toModelRequestParts } from './model-call';

/** Replies that ended on their own; a cut (`length`) or filtered one is not worth repeating. */
const CACHEABLE_FINISH_REASONS: readonly FinishReason[] = ['stop', 'tool-calls'];

export type ResponseCacheRequest = {
  runId: string;
  tenantId: string;
  step: number;
  spec: ModelSpec;
  /** The transcript as fitted to the window: what the call sends. */
  transcript: readonly Message[];
  tools: readonly ToolSpec[];
  output?: { schema: Record<string, unknown> };
};

/** A step that may use the cache: its key and TTL, and the entry found there, if any. */
export type ResponseCacheLookup = { key: string; ttlSeconds: number; hit?: CachedResponse };

export type ResponseCacheDeps = {
  store: ResponseCacheStore;
  ledger: CacheLedger;
  policies: Pick<RunPolicies, 'forRun'>;
  logger?: Logger;
};

/** Only what reaches the provider: a transcript's `model` and `usage` bookkeeping is not sent. */
function sentMessage(message: Message): Message {
  return message.type === 'assistant' ? { type: 'assistant', parts: message.parts } : message;
}

export function responseCacheKey(request: Omit<ResponseCacheRequest, 'runId' | 'step'>): string {
  const { spec } = request;
  const { system, messages } = toModelRequestParts(request.transcript);
  const canonical = canonicalJson({
    tenantId: request.tenantId,
    model: { id: spec.id, provider: spec.provider, model: spec.model, baseURL: spec.baseURL, temperature: spec.temperature, maxOutputTokens: spec.maxOutputTokens },
    system,
    messages: messages.map(sentMessage),
    tools: request.tools,
    output: request.output?.schema,
  });
  // The tenant leads the key in clear too: one tenant's entries can never answer another's lookup.
  return `${request.tenantId}:${createHash('sha256').update(canonical).digest('hex')}`;
}

export class ResponseCache {
  constructor(private readonly deps: ResponseCacheDeps) {}

  /** Undefined when the run's policy leaves the cache off or the model's settings are not deterministic. */
  async lookup(request: ResponseCacheRequest): Promise<ResponseCacheLookup | undefined> {
    const policy = await this.deps.policies.forRun(request.tenantId, request.runId);
    if (!policy.cache.responses || !responseCacheability(request.spec).cacheable) return undefined;
    const key = responseCacheKey(request);
    let hit: CachedResponse | undefined;
    try {
      hit = await this.deps.store.get(key);
    } catch (error) {
      this.deps.logger?.warn({ err: error, runId: request.runId, model: request.spec.id }, 'response cache read failed; calling the model');
    }
    await this.deps.ledger.record({
      runId: request.runId, tenantId: request.tenantId, step: request.step, kind: 'response', hit: hit !== undefined, ...(hit && { sourceRunId: hit.runId }),
    });
    return { key, ttlSeconds: policy.cache.ttlSeconds, ...(hit && { hit }) };
  }

  /** Keeps a fresh reply for the lookup's TTL (a failed write is logged: the next run calls again). */
  async remember(lookup: ResponseCacheLookup, reply: { runId: string; step: number; message: AssistantMessage; usage: CachedResponse['usage']; finishReason: FinishReason }): Promise<void> {
    if (!CACHEABLE_FINISH_REASONS.includes(reply.finishReason)) return;
    const message: AssistantMessage = { type: 'assistant', parts: reply.message.parts };
    try {
      await this.deps.store.set(lookup.key, { message, usage: reply.usage, finishReason: reply.finishReason, runId: reply.runId, step: reply.step }, lookup.ttlSeconds);
    } catch (error) {
      this.deps.logger?.warn({ err: error, runId: reply.runId }, 'response cache write failed; the reply is not cached');
    }
  }
}
