// Starts OpenTelemetry for this process (the SDK's tracer provider, W3C propagation, an OTLP
// exporter behind a batch processor) when tracing-settings.ts finds an endpoint; otherwise loads
// nothing. The provider is process-wide: an API and a worker in one process share it.
import { context, propagation, trace } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { setSpansEnabled } from './spans';
import { tracingSettings, type TracingSettings } from './tracing-settings';

export type Tracing = {
  settings: TracingSettings;
  /** Attached to every span, the workflow sandbox's included. */
  resource: Resource;
  /** The exporting processor: the worker feeds it the workflow sandbox's spans (through worker-tracing.ts). */
  processor: SpanProcessor;
  /** Exports every ended span now. */
  flush(): Promise<void>;
  /** Flushes and unregisters the provider; spans are off again. */
  shutdown(): Promise<void>;
};

let active: Tracing | undefined;

/** The process's tracing, when startTracing turned it on. */
export function activeTracing(): Tracing | undefined {
  return active;
}

/**
 * Turns tracing on from the environment, once per process (later calls return the first); undefined
 * when tracing is off. The SDK's modules are imported here only, so a process without tracing never
 * loads them.
 */
export async function startTracing(serviceName: string, environment: Record<string, string | undefined> = process.env): Promise<Tracing | undefined> {
  if (active) return active;
  const settings = tracingSettings(environment, serviceName);
  if (!settings) return undefined;
  const [{ NodeSDK }, { BatchSpanProcessor }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const exporter = settings.protocol === 'http/json'
    ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: settings.tracesUrl })
    : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter({ url: settings.tracesUrl });
  const processor = new BatchSpanProcessor({ exporter });
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName });
  // Traces only: logs stay in pino (with trace ids) and metrics on /metrics.
  const sdk = new NodeSDK({ resource, autoDetectResources: false, spanProcessors: [processor], logRecordProcessors: [], metricReaders: [], instrumentations: [] });
  sdk.start();
  setSpansEnabled(true);
  const started: Tracing = {
    settings,
    resource,
    processor,
    flush: () => processor.forceFlush(),
    async shutdown() {
      if (active !== started) return;
      active = undefined;
      setSpansEnabled(false);
      await sdk.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  active = started;
  return started;
}
