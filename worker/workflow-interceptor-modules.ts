// The workflow interceptor modules a workflow bundle includes: Keel's request id always; with
// tracing, Temporal's OpenTelemetry interceptors (workflow and activity-scheduling spans, exported
// through the worker's `exporter` sink). A prebuilt bundle must be built with the same choice.

export const REQUEST_ID_INTERCEPTORS_MODULE = require.resolve('../workflows/request-id-interceptors');
export const OPENTELEMETRY_INTERCEPTORS_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export function workflowInterceptorModules(options: { tracing: boolean }): string[] {
  return options.tracing ? [REQUEST_ID_INTERCEPTORS_MODULE, OPENTELEMETRY_INTERCEPTORS_MODULE] : [REQUEST_ID_INTERCEPTORS_MODULE];
}
