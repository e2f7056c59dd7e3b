// Keel's Prometheus series, defined once: one registry per process (API or worker), recorded where
// the facts are (run events, the step wrapper, the activity interceptor, routes). Labels are
// bounded: tenants, configured models and providers, tool names, statuses, never run ids.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRIC_PREFIX = 'keel_';

/** Seconds, from a fast local tool to a slow model stream. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Seconds Keel itself adds to a step: the design target is well under 50 ms. */
export const OVERHEAD_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Seconds a human takes to decide a review. */
export const REVIEW_BUCKETS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 14_400, 86_400];

export type MetricsProcess = 'api' | 'worker';

/** Gauges read when Prometheus scrapes, not kept up to date by hand. */
export type MetricSources = {
  circuitStates?: () => Promise<Array<{ model: string; tier: string; state: number }>>;
  pendingReviews?: () => Promise<{ count: number; oldestAgeSeconds: number }>;
};

export class KeelMetrics {
  readonly registry = new Registry();

  readonly runsStarted = this.counter('runs_started_total', 'Runs that started, by tenant', ['tenant']);
  readonly runsFinished = this.counter('runs_finished_total', 'Runs that ended, by tenant and status (completed, failed, cancelled, step_limit_reached, budget_exceeded)', ['tenant', 'status']);
  readonly steps = this.counter('steps_total', 'Steps a worker finished, by model and kind (tool-calls, final, review), or failed (kind "error")', ['model', 'kind']);
  readonly stepDuration = this.histogram('step_duration_seconds', 'Wall time of a step in the worker', ['model'], DURATION_BUCKETS);
  readonly stepSlotWaits = this.counter('step_slot_waits_total', "Step attempts refused a slot because their tenant's steps held its concurrentSteps quota; each waits in its workflow, holding no worker slot", ['tenant']);
  readonly stepSlotsHeld = this.gauge('step_slots_held', "This worker's steps holding one of their tenant's concurrentSteps slots now", ['tenant']);
  readonly stepOverhead = this.histogram('step_overhead_seconds', "Keel's own share of a step: its wall time less the model call and the tools", ['model'], OVERHEAD_BUCKETS);

  readonly modelCalls = this.counter('model_calls_total', 'Model calls, by model, provider and outcome (ok, error)', ['model', 'provider', 'outcome']);
  readonly modelLatency = this.histogram('model_call_duration_seconds', 'Time from request to the last token of a model call', ['model', 'provider'], DURATION_BUCKETS);
  readonly modelTimeToFirstToken = this.histogram('model_time_to_first_token_seconds', 'Time from request to the first streamed delta', ['model', 'provider'], DURATION_BUCKETS);
  readonly modelErrors = this.counter('model_errors_total', 'Failed model calls, by the failure type (ModelRateLimited, ModelUnavailable…)', ['model', 'provider', 'failure_type']);
  readonly modelTokens = this.counter('model_tokens_total', 'Tokens of model calls, by direction (input, output) and purpose (step, reflection, summary...)', ['model', 'provider', 'direction', 'purpose']);
  readonly modelCost = this.counter('model_cost_usd_total', 'USD spent on model calls (models with a price), by purpose (step, reflection, summary...)', ['model', 'provider', 'tenant', 'purpose']);
  readonly modelFallbacks = this.counter('model_fallbacks_total', 'Steps that moved on from a failed model to the next candidate, by the model left', ['model']);
  readonly streamResets = this.counter('stream_resets_total', 'Streams broken after their first delta (clients told to discard)', ['model', 'provider']);
  readonly circuitState = this.gauge('circuit_state', 'Circuit of each model: 0 closed, 1 half-open, 2 open', ['model', 'tier'], async () => {
    const states = await this.read(this.sources.circuitStates);
    if (!states) return;
    this.circuitState.reset();
    for (const entry of states) this.circuitState.set({ model: entry.model, tier: entry.tier }, entry.state);
  });

  readonly toolCalls = this.counter('tool_calls_total', 'Tool calls, by tool, outcome (ok, error, refused) and safety verdict (allow, confirm, deny)', ['tool', 'outcome', 'verdict']);
  readonly toolDuration = this.histogram('tool_call_duration_seconds', 'Time a tool ran', ['tool'], DURATION_BUCKETS);
  readonly toolRefusals = this.counter('tool_refusals_total', 'Tool calls not run: refused by the safety policy or a predicted outcome that does not match', ['tool', 'reason']);
  readonly sideEffects = this.counter('side_effects_detected_total', 'Tool calls that changed paths they did not name', ['tool']);

  readonly reviewsRequested = this.counter('reviews_requested_total', 'Reviews opened, by kind (tool-call, side-effects, answer…)', ['kind']);
  readonly reviewsDecided = this.counter('reviews_decided_total', 'Reviews decided by a human or expired, by action', ['kind', 'action']);
  readonly reviewDecisionLatency = this.histogram('review_decision_seconds', 'Time from a review opening to its decision', ['kind'], REVIEW_BUCKETS);
  readonly reviewsPending = this.gauge('reviews_pending', 'Reviews waiting for a human', [], async () => {
    const pending = await this.read(this.sources.pendingReviews);
    if (!pending) return;
    this.reviewsPending.set(pending.count);
    this.oldestPendingReview.set(pending.oldestAgeSeconds);
  });
  readonly oldestPendingReview = this.gauge('review_oldest_pending_age_seconds', 'Age of the oldest review waiting for a human (0 when none)', []);

  readonly evalScores = this.counter('eval_scores_total', 'Eval scores of finished runs (live and asked for), by scorer kind and whether they passed', ['kind', 'passed']);

  readonly sseClients = this.gauge('sse_clients', 'Clients following a run over SSE', []);
  readonly httpRequests = this.counter('http_requests_total', 'HTTP requests, by method, route pattern and status code', ['method', 'route', 'status']);
  readonly httpDuration = this.histogram('http_request_duration_seconds', 'HTTP request time, by method and route pattern', ['method', 'route'], DURATION_BUCKETS);

  readonly alertDeliveries = this.counter('alert_deliveries_total', 'Alert notifications the relay forwarded, by route and outcome (delivered, dead-lettered)', ['route', 'type', 'outcome']);

  readonly activityScheduleToStart = this.histogram('activity_schedule_to_start_seconds', 'Queue lag: time from an activity attempt being scheduled to a worker starting it', ['activity', 'local'], DURATION_BUCKETS);
  readonly activityDuration = this.histogram('activity_duration_seconds', 'Time an activity attempt ran, by activity and outcome', ['activity', 'outcome'], DURATION_BUCKETS);
  readonly cacheLookups = this.counter('cache_lookups_total', 'Response-cache and similar-query lookups of steps, by kind (response, similar_query) and outcome (hit, miss)', ['kind', 'outcome']);
  readonly memoryRecall = this.histogram('memory_recall_duration_seconds', 'Time of the automatic note recall on a first step', ['outcome'], DURATION_BUCKETS);

  private sources: MetricSources = {};

  constructor(readonly processName: MetricsProcess, options: { defaultMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ process: processName });
    // Node's own series (CPU, memory, event-loop lag, GC) as keel_process_* and keel_nodejs_*.
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /** Where the scrape-time gauges read from (the circuit store, the reviews table). */
  watch(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /**
   * Starts the series of every known model, tool and review kind at zero, so a rate or an alert
   * on them has data from the first scrape instead of "no data" until the first failure.
   */
  startAtZero(known: { models: ReadonlyArray<{ model: string; provider: string }>; tools: readonly string[]; reviewKinds: readonly string[] }): void {
    for (const labels of known.models) {
      for (const outcome of ['ok', 'error']) this.modelCalls.inc({ ...labels, outcome }, 0);
      for (const direction of ['input', 'output']) this.modelTokens.inc({ ...labels, direction, purpose: 'step' }, 0);
      this.streamResets.inc(labels, 0);
      this.modelFallbacks.inc({ model: labels.model }, 0);
    }
    for (const tool of known.tools) {
      for (const reason of ['safety-policy', 'prediction-mismatch']) this.toolRefusals.inc({ tool, reason }, 0);
      this.sideEffects.inc({ tool }, 0);
    }
    for (const kind of ['response', 'similar_query']) {
      for (const outcome of ['hit', 'miss']) this.cacheLookups.inc({ kind, outcome }, 0);
    }
    for (const kind of known.reviewKinds) {
      this.reviewsRequested.inc({ kind }, 0);
      this.reviewDecisionLatency.zero({ kind });
    }
  }

  /** The exposition text and its content type, for a /metrics route. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name: METRIC_PREFIX + name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    return new Histogram({ name: METRIC_PREFIX + name, help, labelNames, buckets, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect?: () => Promise<void>): Gauge<L> {
    return new Gauge({ name: METRIC_PREFIX + name, help, labelNames, registers: [this.registry], ...(collect && { collect }) });
  }

  /** A source that fails (database down) leaves the gauge as it was: a scrape must not fail for it. */
  private async read<T>(source: (() => Promise<T>) | undefined): Promise<T | undefined> {
    if (!source) return undefined;
    try {
      return await source();
    } catch {
      return undefined;
    }
  }
}
