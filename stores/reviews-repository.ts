// Reviews and their audit trail. A review is opened once per (run, subject) and decided once:
// every transition out of `pending` is a conditional update, so a human and the timeout
// escalation racing each other cannot both win, and every decision writes an audit row.
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { ulid } from 'ulid';
import { z } from 'zod';
import { REVIEW_ACTIONS, REVIEW_KINDS, REVIEW_STATUSES, RUN_ENDED_ACTOR, statusOf, TIMEOUT_ACTOR, type ReviewAction, type ReviewDecision, type ReviewKind, type ReviewRequest, type ReviewStatus } from '../core/review';
import type { Database } from './database';
import { reviewAudit, reviews, runs } from './schema';
import { parseStoredRow } from './stored-row';

/** The typed columns of a review row (text and jsonb in the table). */
const reviewColumnsSchema = z.object({
  kind: z.enum(REVIEW_KINDS),
  status: z.enum(REVIEW_STATUSES),
  /** What the reviewer sees: the summary and the kind's own fields (a tool call's `arguments`...). */
  context: z.looseObject({ summary: z.string().optional(), arguments: z.unknown().optional() }),
  decision: z.looseObject({ action: z.enum(REVIEW_ACTIONS), reason: z.string().optional(), arguments: z.record(z.string(), z.unknown()).optional() }).nullable(),
});

export type ReviewRow = Omit<typeof reviews.$inferSelect, keyof z.infer<typeof reviewColumnsSchema>> & z.output<typeof reviewColumnsSchema>;

function toReviewRow(row: typeof reviews.$inferSelect): ReviewRow {
  const columns = parseStoredRow(reviewColumnsSchema, { kind: row.kind, status: row.status, context: row.context, decision: row.decision }, { table: 'reviews', id: row.id });
  return { ...row, ...columns };
}
export type ReviewAuditRow = typeof reviewAudit.$inferSelect;

export type DecideInput = {
  tenantId: string;
  runId: string;
  reviewId: string;
  action: ReviewAction;
  reason?: string;
  arguments?: Record<string, unknown>;
  actor: string;
  actorKeyId?: string;
};

/** The outcome of a decision attempt: applied, or the review had already been decided (by someone else or the timeout). */
export type DecideResult = { applied: true; review: ReviewRow } | { applied: false; review: ReviewRow | undefined };

export class ReviewsRepository {
  constructor(private readonly db: Database) {}

  /** Opens the review, or returns the one already open for the same subject (a retried activity). */
  async open(request: ReviewRequest, now = new Date()): Promise<{ review: ReviewRow; created: boolean }> {
    const inserted = await this.db.insert(reviews).values({
      id: `rev_${ulid()}`,
      runId: request.runId,
      tenantId: request.tenantId,
      userId: request.userId,
      kind: request.kind,
      subjectKey: request.subjectKey,
      step: request.step,
      context: { summary: request.summary, ...request.context },
      expiresAt: new Date(now.getTime() + request.timeoutSeconds * 1000),
    }).onConflictDoNothing().returning();
    if (inserted[0]) {
      await this.db.update(runs).set({ status: 'awaiting_review', updatedAt: now })
        .where(and(eq(runs.id, request.runId), inArray(runs.status, ['queued', 'running'])));
      return { review: toReviewRow(inserted[0]), created: true };
    }
    const existing = await this.db.select().from(reviews).where(and(eq(reviews.runId, request.runId), eq(reviews.subjectKey, request.subjectKey)));
    if (!existing[0]) throw new Error(`review ${request.subjectKey} of ${request.runId} conflicted on insert but cannot be found`);
    return { review: toReviewRow(existing[0]), created: false };
  }

  async get(tenantId: string, reviewId: string): Promise<ReviewRow | undefined> {
    const [row] = await this.db.select().from(reviews).where(and(eq(reviews.tenantId, tenantId), eq(reviews.id, reviewId)));
    return row && toReviewRow(row);
  }

  /** `userId` keeps the list to reviews of that user's runs. */
  async list(tenantId: string, filter: { status?: ReviewStatus; runId?: string; kind?: ReviewKind; userId?: string; limit: number }): Promise<ReviewRow[]> {
    const conditions: SQL[] = [eq(reviews.tenantId, tenantId)];
    if (filter.userId) conditions.push(eq(reviews.userId, filter.userId));
    if (filter.status) conditions.push(eq(reviews.status, filter.status));
    if (filter.runId) conditions.push(eq(reviews.runId, filter.runId));
    if (filter.kind) conditions.push(eq(reviews.kind, filter.kind));
    const rows = await this.db.select().from(reviews).where(and(...conditions)).orderBy(desc(reviews.createdAt)).limit(filter.limit);
    return rows.map(toReviewRow);
  }

  async audit(tenantId: string, reviewId: string): Promise<ReviewAuditRow[]> {
    return this.db.select().from(reviewAudit)
      .where(and(eq(reviewAudit.tenantId, tenantId), eq(reviewAudit.reviewId, reviewId)))
      .orderBy(asc(reviewAudit.id));
  }

  /** Decides a pending review (pending → approved/rejected) and audits it, in one transaction. */
  async decide(input: DecideInput): Promise<DecideResult> {
    return this.transition(input, statusOf(input.action));
  }

  /** The escalation of a review nobody decided in time (pending → timed_out, with the policy's action). */
  async expire(input: Omit<DecideInput, 'actor' | 'actorKeyId'>): Promise<DecideResult> {
    return this.transition({ ...input, actor: TIMEOUT_ACTOR }, 'timed_out');
  }

  /** Closes what a finished run still had pending (nobody can act on it any more), audited; returns their ids. */
  async closeForRun(runId: string, reason: string): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const closed = await tx.update(reviews)
        .set({ status: 'closed', decision: { action: 'reject', reason }, decidedBy: RUN_ENDED_ACTOR, decidedAt: new Date() })
        .where(and(eq(reviews.runId, runId), eq(reviews.status, 'pending')))
        .returning();
      if (closed.length > 0) {
        await tx.insert(reviewAudit).values(closed.map(toReviewRow).map((review) => ({
          reviewId: review.id, runId: review.runId, tenantId: review.tenantId, actor: RUN_ENDED_ACTOR, action: 'close', reason,
          argumentsSeen: review.context.arguments ?? null,
        })));
      }
      return closed.map((review) => review.id);
    });
  }

  /** The decision a decided review carries, in the workflow's terms. */
  static decisionOf(review: ReviewRow): ReviewDecision | undefined {
    if (review.status === 'pending' || !review.decision) return undefined;
    const stored = review.decision;
    return {
      reviewId: review.id,
      action: stored.action,
      ...(stored.reason !== undefined && { reason: stored.reason }),
      ...(stored.arguments !== undefined && { arguments: stored.arguments }),
      decidedBy: review.decidedBy ?? 'unknown',
    };
  }

  private async transition(input: DecideInput, status: ReviewStatus): Promise<DecideResult> {
    return this.db.transaction(async (tx) => {
      const decision = { action: input.action, ...(input.reason !== undefined && { reason: input.reason }), ...(input.arguments !== undefined && { arguments: input.arguments }) };
      const updated = await tx.update(reviews)
        .set({ status, decision, decidedBy: input.actor, decidedAt: new Date() })
        .where(and(eq(reviews.tenantId, input.tenantId), eq(reviews.runId, input.runId), eq(reviews.id, input.reviewId), eq(reviews.status, 'pending')))
        .returning();
      const review = updated[0] && toReviewRow(updated[0]);
      if (!review) {
        const [current] = await tx.select().from(reviews).where(and(eq(reviews.tenantId, input.tenantId), eq(reviews.id, input.reviewId)));
        return { applied: false as const, review: current && toReviewRow(current) };
      }
      // The run goes on (or ends) now; its next write says which.
      await tx.update(runs).set({ status: 'running', updatedAt: new Date() })
        .where(and(eq(runs.id, review.runId), eq(runs.status, 'awaiting_review')));
      const { context } = review;
      await tx.insert(reviewAudit).values({
        reviewId: review.id,
        runId: review.runId,
        tenantId: review.tenantId,
        actor: input.actor,
        actorKeyId: input.actorKeyId ?? null,
        action: status === 'timed_out' ? `timeout:${input.action}` : input.action,
        reason: input.reason ?? null,
        argumentsSeen: context.arguments ?? null,
        argumentsApplied: input.action === 'edit' ? input.arguments ?? null : input.action === 'approve' ? context.arguments ?? null : null,
      });
      return { applied: true as const, review };
    });
  }
}
