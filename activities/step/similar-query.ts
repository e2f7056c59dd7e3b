// Similar-query dedupe on a run's first model turn: the user's request is embedded and compared
// with the requests of the tenant's earlier completed runs of the same setup (model, system prompt,
// tools, output schema); one at or above the policy's similarity answers this run with its final
// answer and a `cache.hit` naming it. Otherwise the request is kept for later runs. Dedupe never
// fails a step: an embedder or store that fails means the model is called as usual.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/cache';
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import type { Embedder } from '../../core/memory';
import type { RunOutput } from '../../core/run-output';
import type { Logger } from '../../runtime/logger';
import type { RunRequestsRepository } from '../../stores/run-requests-repository';
import type { StepInput } from '../contract';
import { recordUncalledReply, type AssistantRecord, type ModelReplyDeps } from '../model-turn/model-reply';
import type { CacheLedger } from '../records/cache-ledger';
import type { RunPolicies } from '../records/run-policies';
import type { CachedTranscript } from '../records/transcript-cache';

/** float4 storage and float64 queries: the same text may score a hair under 1. */
const SIMILARITY_TOLERANCE = 1e-6;

export type SimilarQueryDeps = {
  requests: Pick<RunRequestsRepository, 'save' | 'nearestCompleted' | 'finalAnswerOf' | 'markNotReusable'>;
  embedder: Embedder;
  policies: Pick<RunPolicies, 'forRun'>;
  ledger: CacheLedger;
  logger?: Logger;
  now?: () => Date;
};

/** What must match for an earlier answer to count: the model, every system message (instructions, skills, recalled notes), the tools and the output schema. */
export function setupKey(modelId: string, transcript: CachedTranscript, tools: readonly string[], output?: RunOutput): string {
  const system = transcript.entries.flatMap((entry) => (entry.message.type === 'system' ? [entry.message.text] : []));
  const canonical = canonicalJson({ model: modelId, system, tools: [...new Set(tools)].sort(), output: output?.schema });
  return createHash('sha256').update(canonical).digest('hex');
}

export class SimilarQueries {
  constructor(private readonly deps: SimilarQueryDeps) {}

  /**
   * On the first step, before any reply: the earlier run's answer recorded as this step's reply, or
   * undefined (dedupe off, nothing close enough, or a failure) and the model answers.
   */
  async reply(replyDeps: Pick<ModelReplyDeps, 'recorder'>, input: StepInput, modelId: string, transcript: CachedTranscript, announcements: NewRunEvent[], output?: RunOutput): Promise<AssistantRecord | undefined> {
    const { runId, tenantId, step } = input;
    const request = input.seed?.firstMessage;
    if (request === undefined) return undefined;
    const policy = await this.deps.policies.forRun(tenantId, runId);
    if (!policy.cache.similarQueries) return undefined;
    const { embedder } = this.deps;
    const key = setupKey(modelId, transcript, input.tools, output);
    let found: { runId: string; similarity: number; answer: string } | undefined;
    let vector: number[] | undefined;
    try {
      [vector] = await embedder.embed([request]);
      if (!vector) throw new Error('the embedder returned no vector');
      const now = (this.deps.now ?? (() => new Date()))();
      const since = new Date(now.getTime() - policy.cache.ttlSeconds * 1000);
      const nearest = await this.deps.requests.nearestCompleted({ tenantId, setupKey: key, embeddingModel: embedder.model, since, excludeRunId: runId }, vector);
      if (nearest && nearest.similarity >= policy.cache.similarity - SIMILARITY_TOLERANCE) {
        const answer = await this.deps.requests.finalAnswerOf(tenantId, nearest.runId);
        if (answer !== undefined) found = { ...nearest, answer };
      }
    } catch (error) {
      this.deps.logger?.warn({ err: error, runId, tenantId }, 'similar-query lookup failed; calling the model');
      return undefined;
    }
    await this.deps.ledger.record({ runId, tenantId, step, kind: 'similar_query', hit: found !== undefined, ...(found && { sourceRunId: found.runId }) });
    if (!found) {
      await this.deps.requests.save({ runId, tenantId, setupKey: key, request, embeddingModel: embedder.model, embedding: vector })
        .catch((error: unknown) => this.deps.logger?.warn({ err: error, runId }, 'could not keep the request for similar-query dedupe'));
      return undefined;
    }
    const events: NewRunEvent[] = [...announcements.splice(0), {
      type: RUN_EVENT_TYPES.cacheHit,
      data: { step, kind: 'similar_query', model: modelId, sourceRunId: found.runId, similarity: found.similarity },
      dedupeKey: `cache.hit:${step}`,
    }];
    return recordUncalledReply(replyDeps, input, modelId, transcript, { parts: [{ type: 'text', text: found.answer }] }, events, output);
  }

  /** New user messages joined the run: its answer is no longer the first request's alone. */
  async tookMoreMessages(tenantId: string, runId: string): Promise<void> {
    const policy = await this.deps.policies.forRun(tenantId, runId);
    if (!policy.cache.similarQueries) return;
    await this.deps.requests.markNotReusable(tenantId, runId)
      .catch((error: unknown) => this.deps.logger?.warn({ err: error, runId }, 'could not mark the run request as not reusable'));
  }
}
