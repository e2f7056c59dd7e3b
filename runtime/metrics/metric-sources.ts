// What the scrape-time gauges read: the shared circuit of every configured model (with its pool
// tier, so "every model of a tier open" is one query) and the reviews still waiting for a human.
import { count, eq, min } from 'drizzle-orm';
import type { CircuitState } from '../../core/model-pool';
import type { CircuitBreakerStore } from '../../stores/circuit-breaker';
import type { Database } from '../../stores/database';
import { reviews } from '../../stores/schema';
import type { MetricSources } from './keel-metrics';
import type { MetricLabels } from './metric-labels';

export const CIRCUIT_STATE_VALUES: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

export function circuitStatesSource(circuits: CircuitBreakerStore, modelIds: readonly string[], labels: MetricLabels): NonNullable<MetricSources['circuitStates']> {
  // Families (`ollama/*`) have no circuit of their own until a run names a member.
  const ids = modelIds.filter((id) => !id.endsWith('/*'));
  return async () => {
    const states = await circuits.states(ids);
    return ids.map((id) => ({ model: labels.model(id), tier: labels.tier(id), state: CIRCUIT_STATE_VALUES[states[id]?.state ?? 'closed'] }));
  };
}

export function pendingReviewsSource(db: Database, now: () => number = Date.now): NonNullable<MetricSources['pendingReviews']> {
  return async () => {
    const [row] = await db.select({ count: count(), oldest: min(reviews.createdAt) }).from(reviews).where(eq(reviews.status, 'pending'));
    const oldest = row?.oldest ? new Date(row.oldest).getTime() : undefined;
    return { count: row?.count ?? 0, oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1000) };
  };
}
