// Review routes: the tenant's reviews (pending by default), one review with its audit trail, and
// the decision on a run's review.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReviewAuditRow, ReviewRow } from '../../stores/reviews-repository';
import { principalOf } from '../auth';
import type { ReviewService } from '../review-service';
import { decideReviewBody, errorResponse, listReviewsQuery, reviewAuditResource, reviewIdParams, reviewResource, runReviewParams } from '../schemas';

export function toReviewResource(row: ReviewRow): z.infer<typeof reviewResource> {
  const { summary, ...context } = row.context;
  return {
    id: row.id,
    runId: row.runId,
    kind: row.kind,
    step: row.step,
    status: row.status,
    summary: summary ?? '',
    context,
    decision: row.decision ?? null,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    links: { self: `/v1/reviews/${row.id}`, decide: `/v1/runs/${row.runId}/reviews/${row.id}`, run: `/v1/runs/${row.runId}` },
  };
}

function toAuditResource(row: ReviewAuditRow): z.infer<typeof reviewAuditResource> {
  return {
    actor: row.actor, actorKeyId: row.actorKeyId, action: row.action, reason: row.reason,
    argumentsSeen: row.argumentsSeen ?? null, argumentsApplied: row.argumentsApplied ?? null, at: row.at.toISOString(),
  };
}

const reviewWithAudit = reviewResource.extend({ audit: z.array(reviewAuditResource) });

export function reviewRoutes(service: ReviewService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/reviews', {
      config: { permission: 'reviews:read' },
      schema: { summary: "Your tenant's reviews, newest first (pending unless `status` says otherwise)", querystring: listReviewsQuery, response: { 200: z.object({ reviews: z.array(reviewResource) }), 400: errorResponse } },
    }, async (request) => {
      const { status, ...rest } = request.query;
      const rows = await service.list(principalOf(request), { ...rest, status: status ?? 'pending' });
      return { reviews: rows.map(toReviewResource) };
    });

    app.get('/v1/reviews/:reviewId', {
      config: { permission: 'reviews:read' },
      schema: { summary: 'A review with its audit trail', params: reviewIdParams, response: { 200: reviewWithAudit, 404: errorResponse } },
    }, async (request) => {
      const { review, audit } = await service.get(principalOf(request), request.params.reviewId);
      return { ...toReviewResource(review), audit: audit.map(toAuditResource) };
    });

    app.post('/v1/runs/:id/reviews/:reviewId', {
      config: { permission: 'reviews:decide' },
      schema: {
        summary: 'Decide a review: approve, reject (with a reason) or approve a tool call with edited arguments',
        params: runReviewParams, body: decideReviewBody,
        response: { 200: reviewWithAudit, 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    }, async (request) => {
      const { review, audit } = await service.decide(principalOf(request), request.params.id, request.params.reviewId, request.body);
      return { ...toReviewResource(review), audit: audit.map(toAuditResource) };
    });
  };
}
