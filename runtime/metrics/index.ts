// Keel's Prometheus metrics: the series, bounded labels, the run-event observer and the gauges' sources.
export { DURATION_BUCKETS, KeelMetrics, METRIC_PREFIX, OVERHEAD_BUCKETS, REVIEW_BUCKETS, type MetricSources, type MetricsProcess } from './keel-metrics';
export { MetricLabels, OTHER_LABEL } from './metric-labels';
export { RunEventMetrics, type RunEventObserver } from './run-event-metrics';
export { CIRCUIT_STATE_VALUES, circuitStatesSource, pendingReviewsSource } from './metric-sources';
export { timedRecall } from './timed-recall';
export { bearerCheck } from './bearer-token';
