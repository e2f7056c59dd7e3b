// What the review routes do, apart from HTTP: list a tenant's reviews, and decide one — recorded
// and audited first (a conditional update, so a review is decided once), announced on the run's
// event stream, then signalled to the workflow. A lost signal is harmless: the run reads the
// recorded decision when its wait ends.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { RUN_EVENT_TYPES } from '../core/events';
import { statusOf, type ReviewAction, type ReviewDecision, type ReviewKind, type ReviewStatus } from '../core/review';
import type { EventBus } from '../stores/event-bus';
import type { EventsRepository } from '../stores/events-repository';
import { ReviewsRepository, type ReviewAuditRow, type ReviewRow } from '../stores/reviews-repository';
import type { Principal } from '../stores/tenants-repository';
import { approvalSignal } from '../workflows/definitions';
import { mayReach, roleCan } from '../core/access';
import type { AuditRepository } from '../stores/audit-repository';
import { HttpError, notFound } from './http-error';

export type DecideBody = { action: ReviewAction; reason?: string; arguments?: Record<string, unknown> };

export type ReviewServiceDeps = {
  client: Client; reviews: ReviewsRepository; events: EventsRepository; bus: EventBus;
  /** Each decision is also an audit log entry (GET /v1/audit). */
  audit: Pick<AuditRepository, 'record'>;
  /** Hears each decision with the time it waited (the API's review metrics). */
  onDecided?: (review: ReviewRow) => void;
};

export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  async list(principal: Principal, filter: { status?: ReviewStatus; runId?: string; kind?: ReviewKind; limit: number }): Promise<ReviewRow[]> {
    const own = roleCan(principal.role, 'runs:read:all') ? {} : { userId: principal.userId };
    return this.deps.reviews.list(principal.tenantId, { ...filter, ...own });
  }

  async get(principal: Principal, reviewId: string): Promise<{ review: ReviewRow; audit: ReviewAuditRow[] }> {
    const review = await this.deps.reviews.get(principal.tenantId, reviewId);
    // Reviews of runs the principal may not see are not found, like the runs themselves.
    if (!review || !mayReach(principal, review.userId, 'runs:read:all')) throw notFound('review', reviewId);
    return { review, audit: await this.deps.reviews.audit(principal.tenantId, reviewId) };
  }

  async decide(principal: Principal, runId: string, reviewId: string, body: DecideBody): Promise<{ review: ReviewRow; audit: ReviewAuditRow[] }> {
    const review = await this.deps.reviews.get(principal.tenantId, reviewId);
    if (!review || review.runId !== runId || !mayReach(principal, review.userId, 'runs:control:all')) throw notFound('review', reviewId);
    if (body.action === 'edit') {
      if (review.kind !== 'tool-call') throw new HttpError(400, 'invalid_request', `"edit" applies to tool-call reviews; this one is ${review.kind}`, { field: 'action' });
      if (!body.arguments) throw new HttpError(400, 'invalid_request', '"edit" needs "arguments": the arguments the call runs with', { field: 'arguments' });
    } else if (body.arguments) {
      throw new HttpError(400, 'invalid_request', `"arguments" only go with "edit", not "${body.action}"`, { field: 'arguments' });
    }
    const result = await this.deps.reviews.decide({
      tenantId: principal.tenantId, runId, reviewId, action: body.action, reason: body.reason, arguments: body.arguments,
      actor: principal.userId, actorKeyId: principal.keyId,
    });
    if (!result.applied) {
      const status = result.review?.status ?? 'unknown';
      throw new HttpError(409, 'review_decided', `review ${reviewId} is already ${status}`, { status });
    }
    const decision: ReviewDecision = {
      reviewId, action: body.action, decidedBy: principal.userId,
      ...(body.reason !== undefined && { reason: body.reason }), ...(body.arguments !== undefined && { arguments: body.arguments }),
    };
    const appended = await this.deps.events.append(runId, principal.tenantId, [{
      type: RUN_EVENT_TYPES.reviewDecided,
      data: { reviewId, kind: review.kind, step: review.step, action: body.action, status: statusOf(body.action), decidedBy: principal.userId, ...(body.reason !== undefined && { reason: body.reason }) },
      dedupeKey: `review.decided:${reviewId}`,
    }]);
    let previousId = appended.previousId;
    for (const event of appended.events) {
      this.deps.bus.publish(runId, { kind: 'event', event, previousId });
      previousId = event.id;
    }
    await this.deps.audit.record({
      tenantId: principal.tenantId, actor: principal, action: 'review.decided', target: { type: 'review', id: reviewId },
      details: { runId, kind: review.kind, decision: body.action, ...(body.reason !== undefined && { reason: body.reason }) },
    });
    this.deps.onDecided?.(result.review);
    try {
      await this.deps.client.workflow.getHandle(runId).signal(approvalSignal, decision);
    } catch (error) {
      // The run ended meanwhile (cancelled, timed out): the decision stays recorded and audited.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    return { review: result.review, audit: await this.deps.reviews.audit(principal.tenantId, reviewId) };
  }
}
