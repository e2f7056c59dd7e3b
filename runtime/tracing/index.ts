// OpenTelemetry tracing: settings from OTEL_* variables, the process's SDK, and Keel's own spans.
export { activeTraceFields, inSpan, spansEnabled, TRACER_NAME, type TraceFields } from './spans';
export { activeTracing, startTracing, type Tracing } from './start-tracing';
export { DEFAULT_OTLP_PROTOCOL, OTLP_PROTOCOLS, tracingSettings, TracingSettingsInvalid, type OtlpProtocol, type TracingSettings } from './tracing-settings';
export { SPAN_ATTRIBUTES, SPAN_NAMES } from './span-attributes';
