// What a worker adds when its process traces (the package is loaded only then): Temporal's activity interceptors
// (a RunActivity span per attempt, child of the workflow's StartActivity span through the headers)
// and the `exporter` sink through which the workflow sandbox's spans reach the process's exporter.
import type { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import type { Tracing } from '../runtime/tracing';
import { sandboxSpanProcessor } from './workflow-spans';

type SandboxProcessor = Extract<Parameters<typeof makeWorkflowExporter>[0], { onEnd: unknown }>;
type SandboxResource = Parameters<typeof makeWorkflowExporter>[1];

export type WorkerTracing = { activityInterceptor: ActivityInterceptorsFactory; sinks: NonNullable<WorkerOptions['sinks']> };

export async function workerTracing(tracing: Tracing): Promise<WorkerTracing> {
  const { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } = await import('@temporalio/interceptors-opentelemetry');
  const processor = sandboxSpanProcessor(tracing.processor);
  return {
    activityInterceptor: (context) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(context),
      outbound: new OpenTelemetryActivityOutboundInterceptor(context),
    }),
    // The package's types are SDK 1.x's; the sink only passes both objects through to the processor.
    sinks: { exporter: makeWorkflowExporter(processor as unknown as SandboxProcessor, tracing.resource as unknown as SandboxResource) },
  };
}
