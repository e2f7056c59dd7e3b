// The workflow's side of human review: opens reviews (through a local activity), holds the ones
// the run waits for, takes decisions from the `approval` signal (buffering a decision that arrives
// before the run learnt of its review), and escalates a review nobody decided in time.
// Deterministic: the timeout is a workflow timer; the escalation is an activity.
import { condition } from '@temporalio/workflow';
import type { ExpireReviewInput, OpenedReview } from '../activities/contract';
import type { PendingReview, ReviewDecision, ReviewKind, ReviewRequest } from '../core/review';
import type { AgentRunInput } from '../core/run-input';
import { DEFAULT_RUN_POLICY } from '../core/run-policy';
import { MAX_EARLY_DECISIONS } from './definitions';

type ReviewActivities = {
  openReview(request: ReviewRequest): Promise<OpenedReview>;
  expireReview(input: ExpireReviewInput): Promise<ReviewDecision>;
};

export type ReviewSubject = { kind: ReviewKind; subjectKey: string; step: number; summary: string; context: Record<string, unknown> };

export class ReviewDesk {
  private readonly waiting = new Map<string, PendingReview>();
  private readonly decisions = new Map<string, ReviewDecision>();

  constructor(private readonly input: AgentRunInput, private readonly activities: ReviewActivities) {}

  /** The approval signal's handler: first decision per review wins; unknown reviews are buffered (bounded). */
  receive(decision: ReviewDecision): void {
    if (this.decisions.has(decision.reviewId)) return;
    if (!this.waiting.has(decision.reviewId) && this.decisions.size >= MAX_EARLY_DECISIONS) return;
    this.decisions.set(decision.reviewId, decision);
  }

  pending(): PendingReview[] {
    return [...this.waiting.values()];
  }

  async open(subject: ReviewSubject): Promise<OpenedReview> {
    const policy = this.input.policy ?? DEFAULT_RUN_POLICY;
    return this.activities.openReview({
      runId: this.input.runId, tenantId: this.input.tenantId, userId: this.input.userId, timeoutSeconds: policy.review.timeoutSeconds, ...subject,
    });
  }

  /** Waits for the review's decision until it expires, then escalates. Throws when the run is cancelled meanwhile. */
  async decide(review: OpenedReview): Promise<ReviewDecision> {
    if (review.decided) return review.decided;
    const { decided: _decided, ...pending } = review;
    this.waiting.set(review.reviewId, pending);
    try {
      const remainingMs = Date.parse(review.expiresAt) - Date.now();
      const arrived = remainingMs > 0 && (await condition(() => this.decisions.has(review.reviewId), remainingMs));
      const decision = arrived ? this.decisions.get(review.reviewId) : undefined;
      if (decision) return decision;
      const policy = this.input.policy ?? DEFAULT_RUN_POLICY;
      return await this.activities.expireReview({ tenantId: this.input.tenantId, runId: this.input.runId, reviewId: review.reviewId, onTimeout: policy.review.onTimeout });
    } finally {
      this.waiting.delete(review.reviewId);
      this.decisions.delete(review.reviewId);
    }
  }
}
