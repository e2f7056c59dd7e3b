// The workflow sandbox's spans, made exportable here. Temporal's workflow interceptors trace with the
// OpenTelemetry SDK 1.x their package ships (spans name their parent by `parentSpanId` and their
// tracer by `instrumentationLibrary`); this process's exporter reads SDK 3.x spans
// (`parentSpanContext`, `instrumentationScope`). Each span is translated once, as it ends.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/** A span as the 1.x SDK of the workflow sandbox describes it (the fields that changed name). */
type SandboxSpan = ReadableSpan & {
  parentSpanId?: string;
  instrumentationLibrary?: { name: string; version?: string; schemaUrl?: string };
};

const SANDBOX_SCOPE = { name: '@temporalio/interceptor-workflow' };

export function fromSandboxSpan(span: ReadableSpan): ReadableSpan {
  const sandbox = span as SandboxSpan;
  if (sandbox.instrumentationScope && sandbox.parentSpanContext !== undefined) return span;
  const own = span.spanContext();
  const parentSpanContext = sandbox.parentSpanContext
    ?? (sandbox.parentSpanId ? { traceId: own.traceId, spanId: sandbox.parentSpanId, traceFlags: own.traceFlags } : undefined);
  return {
    ...span,
    spanContext: () => own,
    parentSpanContext,
    instrumentationScope: sandbox.instrumentationScope ?? sandbox.instrumentationLibrary ?? SANDBOX_SCOPE,
  };
}

/** Hands the sandbox's spans to `target` (the process's exporting processor), translated. */
export function sandboxSpanProcessor(target: SpanProcessor): SpanProcessor {
  return {
    onStart: (_span: Span, _context: Context) => undefined,
    onEnd: (span) => target.onEnd(fromSandboxSpan(span)),
    forceFlush: () => target.forceFlush(),
    // The target belongs to the process's SDK, which shuts it down.
    shutdown: async () => undefined,
  };
}
