// `keel reviews ls|approve <id>|reject <id>`: a decision goes to the review's own run, looked up first.
import { reviewListShape, reviewShape } from '../api-shapes';
import { table, type CliIo } from '../cli-io';
import type { KeelClient } from '../keel-client';

export async function listReviews(client: KeelClient, io: CliIo, options: { status?: string; run?: string }): Promise<number> {
  const query = new URLSearchParams();
  if (options.status) query.set('status', options.status);
  if (options.run) query.set('runId', options.run);
  const suffix = query.size > 0 ? `?${query.toString()}` : '';
  const { reviews } = await client.request('GET', `/v1/reviews${suffix}`, reviewListShape);
  if (reviews.length === 0) {
    io.err(`no ${options.status ?? 'pending'} reviews\n`);
    return 0;
  }
  io.out(table([
    ['ID', 'RUN', 'KIND', 'STATUS', 'SUMMARY'],
    ...reviews.map((review) => [review.id, review.runId, review.kind, review.status, review.summary]),
  ]));
  return 0;
}

export async function decideReview(client: KeelClient, io: CliIo, reviewId: string, action: 'approve' | 'reject', options: { reason?: string }): Promise<number> {
  const review = await client.request('GET', `/v1/reviews/${encodeURIComponent(reviewId)}`, reviewShape);
  const decided = await client.request('POST', `/v1/runs/${review.runId}/reviews/${review.id}`, reviewShape, {
    action, ...(options.reason !== undefined && { reason: options.reason }),
  });
  io.out(`${decided.id} ${decided.status} (run ${decided.runId})\n`);
  return 0;
}
