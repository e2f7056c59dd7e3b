// Keel's own spans (model calls, tool calls, event publishing) and the trace fields of log lines.
// Both are direct calls while tracing is off: no span objects, no context switches.
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { errorMessage } from '../../core/error-message';

export const TRACER_NAME = 'keel';

let enabled = false;

/** Set by startTracing (and back by its shutdown); nothing else turns spans on. */
export function setSpansEnabled(value: boolean): void {
  enabled = value;
}

export function spansEnabled(): boolean {
  return enabled;
}

/**
 * Runs `work` inside a span named `name` (the active span while it runs), ended when it settles;
 * a thrown error marks the span as failed. With tracing off, `work` runs alone with no span.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return work(undefined);
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

export type TraceFields = { trace_id: string; span_id: string; trace_flags: string };

/** The active span's ids in the field names OpenTelemetry's log correlation uses; undefined with none. */
export function activeTraceFields(): TraceFields | undefined {
  if (!enabled) return undefined;
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return undefined;
  return { trace_id: context.traceId, span_id: context.spanId, trace_flags: `0${context.traceFlags.toString(16)}` };
}
