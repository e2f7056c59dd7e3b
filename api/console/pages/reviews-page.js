// The tenant's pending reviews (what the old /reviews page showed), each decided in place.
import { html } from '../lib/html.js';
import { usePolling } from '../lib/use-polling.js';
import { ReviewCard } from '../components/review-card.js';

const REVIEWS_POLL_MS = 3000;

export function ReviewsPage() {
  const { data, error } = usePolling('/v1/reviews?status=pending', REVIEWS_POLL_MS);
  return html`<section aria-labelledby="reviews-title">
    <header class="page-head"><h1 id="reviews-title">Pending reviews</h1>
      <span class="meta" id="status" role="status">${data ? (data.reviews.length === 0 ? 'Nothing waits for a review.' : `${data.reviews.length} pending`) : ''}</span></header>
    ${error && html`<p class="error" role="alert">${error.message}</p>`}
    <div id="reviews">${data && data.reviews.map((review) => html`<${ReviewCard} key=${review.id} review=${review} />`)}</div>
  </section>`;
}
