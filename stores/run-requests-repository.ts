// Runs' first requests with their embeddings (`run_requests`), for similar-query dedupe: the
// nearest completed run of the same tenant and setup, searched exactly (cosine in process over the
// newest candidates within the TTL), and that run's final answer read from its transcript.
import { and, desc, eq, gt, like, sql } from 'drizzle-orm';
import { cosineSimilarity } from '../core/memory';
import { messageSchema } from '../core/message-schema';
import { textOf, toolCallsOf } from '../core/messages';
import type { Database } from './database';
import { messages, runRequests, runs } from './schema';
import { parseStoredRow } from './stored-row';

/** A search reads at most this many of the newest candidate requests: fine for a cache, bounded. */
export const SIMILAR_SEARCH_MAX_CANDIDATES = 2000;

export type RunRequestWrite = { runId: string; tenantId: string; setupKey: string; request: string; embeddingModel: string; embedding: number[] };

export type SimilarRun = { runId: string; similarity: number };

export class RunRequestsRepository {
  constructor(private readonly db: Database) {}

  /** Idempotent per run; a later candidate model's first step replaces the setup it answers under. */
  async save(write: RunRequestWrite): Promise<void> {
    await this.db.insert(runRequests).values(write).onConflictDoUpdate({
      target: runRequests.runId,
      set: { setupKey: write.setupKey, embeddingModel: write.embeddingModel, embedding: write.embedding },
    });
  }

  /** The run took more user messages: its answer is no longer the answer to its first request. */
  async markNotReusable(tenantId: string, runId: string): Promise<void> {
    await this.db.update(runRequests).set({ reusable: false }).where(and(eq(runRequests.tenantId, tenantId), eq(runRequests.runId, runId)));
  }

  /**
   * The most similar completed, reusable run of the tenant with the same setup and embedder, made
   * after `since`, other than `excludeRunId`; undefined when there is none.
   */
  async nearestCompleted(query: { tenantId: string; setupKey: string; embeddingModel: string; since: Date; excludeRunId: string }, vector: readonly number[]): Promise<SimilarRun | undefined> {
    const rows = await this.db
      .select({ runId: runRequests.runId, embedding: runRequests.embedding })
      .from(runRequests)
      .innerJoin(runs, and(eq(runs.id, runRequests.runId), eq(runs.tenantId, runRequests.tenantId)))
      .where(and(
        eq(runRequests.tenantId, query.tenantId),
        eq(runRequests.setupKey, query.setupKey),
        eq(runRequests.embeddingModel, query.embeddingModel),
        eq(runRequests.reusable, true),
        gt(runRequests.createdAt, query.since),
        eq(runs.status, 'completed'),
        sql`${runRequests.runId} <> ${query.excludeRunId}`,
      ))
      .orderBy(desc(runRequests.createdAt))
      .limit(SIMILAR_SEARCH_MAX_CANDIDATES);
    let best: SimilarRun | undefined;
    for (const row of rows) {
      if (row.embedding.length !== vector.length) continue;
      const similarity = cosineSimilarity(vector, row.embedding);
      if (!best || similarity > best.similarity) best = { runId: row.runId, similarity };
    }
    return best;
  }

  /** The run's last reply without tool calls (its final answer, whole), or undefined. */
  async finalAnswerOf(tenantId: string, runId: string): Promise<string | undefined> {
    const rows = await this.db
      .select({ seq: messages.seq, message: messages.message })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.runId, runId), like(messages.sourceKey, 'assistant:%')))
      .orderBy(desc(messages.seq))
      .limit(1);
    const row = rows[0];
    if (!row) return undefined;
    const message = parseStoredRow(messageSchema, row.message, { table: 'messages', id: `${runId}#${row.seq}` });
    if (message.type !== 'assistant' || toolCallsOf(message).length > 0) return undefined;
    return textOf(message);
  }
}
