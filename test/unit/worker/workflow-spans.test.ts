// The workflow sandbox's spans (SDK 1.x shape, through Temporal's `exporter` sink) reach an SDK 3.x
// exporter with their parent and tracer intact.
import { TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import type { WorkflowInfo } from '@temporalio/workflow';
import { sandboxSpanProcessor } from '../../../worker/workflow-spans';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** A span as the sandbox's SpanExporter serializes it (interceptors-opentelemetry, workflow/span-exporter). */
function sandboxSpan(name: string, spanId: string, parentSpanId?: string) {
  return {
    name, kind: 0, spanContext: { traceId: TRACE_ID, spanId, traceFlags: TraceFlags.SAMPLED },
    parentSpanId, startTime: [1, 0], endTime: [2, 0], status: { code: 0 }, attributes: {}, links: [], events: [], duration: [1, 0], ended: true,
    droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0, instrumentationLibrary: { name: '@temporalio/interceptor-workflow' },
  };
}

describe('the workflow sandbox\'s spans', () => {
  it('are exported with their parent span context, tracer scope and the process\'s resource', async () => {
    const exporter = new InMemorySpanExporter();
    const resource = resourceFromAttributes({ 'service.name': 'keel-worker' });
    const sink = makeWorkflowExporter(sandboxSpanProcessor(new SimpleSpanProcessor({ exporter })) as never, resource as never);
    const info = { workflowId: 'run_1', runId: 'r1' } as unknown as WorkflowInfo;
    await sink.export.fn(info, [sandboxSpan('RunWorkflow:agentRun', 'b7ad6b7169203331', '00f067aa0ba902b7'), sandboxSpan('StartActivity:runStepLocally', 'c7ad6b7169203332', 'b7ad6b7169203331')] as never);

    const [run, start] = exporter.getFinishedSpans();
    expect(run?.parentSpanContext).toEqual({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
    expect(start?.parentSpanContext?.spanId).toBe(run?.spanContext().spanId);
    expect(start?.instrumentationScope.name).toBe('@temporalio/interceptor-workflow');
    expect(run?.resource.attributes['service.name']).toBe('keel-worker');
    expect(run?.attributes).toMatchObject({ workflowId: 'run_1' });
  });

  it('leave a root span without a parent', async () => {
    const exporter = new InMemorySpanExporter();
    const sink = makeWorkflowExporter(sandboxSpanProcessor(new SimpleSpanProcessor({ exporter })) as never, resourceFromAttributes({}) as never);
    await sink.export.fn({} as WorkflowInfo, [sandboxSpan('RunWorkflow:agentRun', 'b7ad6b7169203331')] as never);
    expect(exporter.getFinishedSpans()[0]?.parentSpanContext).toBeUndefined();
  });
});
