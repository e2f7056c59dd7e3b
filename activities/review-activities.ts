// Opening and escalating reviews from activities. Opening is idempotent per (run, subject) and
// announces the review once (`review.requested`); escalation is a conditional transition, so when
// a human decided first (their signal may still be in flight) their decision wins.
import { RUN_EVENT_TYPES } from '../core/events';
import type { ReviewAction, ReviewDecision, ReviewRequest } from '../core/review';
import { ReviewsRepository, type ReviewRow } from '../stores/reviews-repository';
import type { EventRecorder } from './records/event-recorder';
import type { ExpireReviewInput, OpenedReview } from './contract';

export type ReviewDeps = { reviews: ReviewsRepository; events: EventRecorder };

export async function openReview(deps: ReviewDeps, request: ReviewRequest): Promise<OpenedReview> {
  const { review, created } = await deps.reviews.open(request);
  if (created) {
    await deps.events.record(request.runId, request.tenantId, [{
      type: RUN_EVENT_TYPES.reviewRequested,
      data: { reviewId: review.id, kind: review.kind, step: review.step, summary: request.summary, expiresAt: review.expiresAt.toISOString(), context: request.context },
      dedupeKey: `review.requested:${request.subjectKey}`,
    }]);
  }
  return toOpened(review, request.summary);
}

export async function expireReview(deps: ReviewDeps, input: ExpireReviewInput): Promise<ReviewDecision> {
  const action: ReviewAction = input.onTimeout === 'approve' ? 'approve' : 'reject';
  const result = await deps.reviews.expire({ tenantId: input.tenantId, runId: input.runId, reviewId: input.reviewId, action, reason: 'review timed out' });
  if (!result.review) throw new Error(`review ${input.reviewId} of ${input.runId} does not exist`);
  const decision = ReviewsRepository.decisionOf(result.review);
  if (!decision) throw new Error(`review ${input.reviewId} is still pending after its escalation`);
  if (result.applied) {
    await deps.events.record(input.runId, input.tenantId, [{
      type: RUN_EVENT_TYPES.reviewExpired,
      data: { reviewId: input.reviewId, kind: result.review.kind, step: result.review.step, action, reason: 'review timed out' },
      dedupeKey: `review.expired:${input.reviewId}`,
    }]);
  }
  return decision;
}

function toOpened(review: ReviewRow, summary: string): OpenedReview {
  const decided = ReviewsRepository.decisionOf(review);
  return {
    reviewId: review.id,
    kind: review.kind,
    step: review.step,
    subjectKey: review.subjectKey,
    summary,
    expiresAt: review.expiresAt.toISOString(),
    ...(decided && { decided }),
  };
}
