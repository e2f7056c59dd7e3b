// One run, one trace: with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local OTLP receiver, a real Keel
// (API and worker in this process, sharing its SDK) sends the API request span, the workflow start,
// the workflow and its activities, the model call, the tool call and the event publishing, all in
// one trace; log lines carry its ids and the API request id reaches the worker's lines.
import { ulid } from 'ulid';
import { createLogger } from '../../../runtime/logger';
import { SPAN_ATTRIBUTES, SPAN_NAMES, startTracing, type Tracing } from '../../../runtime/tracing';
import { api, waitForRun } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../support/otlp-receiver';
import { recordHistoryIfAsked } from '../../support/record-history';

const EXPORT_DEADLINE_MS = 30_000;

describe('tracing a run with OpenTelemetry', () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing | undefined;
  let harness: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    tracing = await startTracing('keel', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    const logger = createLogger('debug', {}, { write: (line: string) => { lines.push(line); } });
    // The worker bundles its workflows itself, with Temporal's OpenTelemetry workflow interceptors.
    harness = await startHarness({ ownWorkflowBundle: true, logger });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await tracing?.shutdown();
    await receiver?.close();
  });

  /** Flushes until the trace holds a span named `name` (workflow spans reach the exporter when their activation completes). */
  async function spansOnceExported(traceId: () => string | undefined, name: string): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + EXPORT_DEADLINE_MS;
    for (;;) {
      await tracing?.flush();
      const id = traceId();
      const spans = receiver.spans.filter((span) => span.traceId === id);
      if (id && spans.some((span) => span.name === name)) return spans;
      if (Date.now() > deadline) throw new Error(`no ${name} span exported; got ${receiver.spans.map((span) => span.name).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('exports the span tree of one run in one trace and puts its ids in the log lines', async () => {
    expect(tracing).toBeDefined();
    const name = `trace-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name,
      models: `${name}*`,
      rules: [
        { turn: 0, reply: { text: 'Writing it.', toolCalls: [{ name: 'write_file', arguments: { path: 'traced.txt', content: 'traced\n' } }] } },
        { turn: 1, reply: { text: 'Done.' } },
      ],
    });
    const requestId = `req-${ulid().toLowerCase()}`;
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      headers: { 'x-request-id': requestId },
      body: { message: `Write traced.txt (${name})`, model: `local/${name}` },
    });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    await harness.api.client.workflow.getHandle(runId).result();
    // Traced histories (OpenTelemetry headers and SDK flags) replay on workers that do not trace.
    await recordHistoryIfAsked(harness.api.client, runId, 'traced-tool-call', 'step-summaries');

    const requestSpan = () => receiver.spans.find((span) => span.name === 'POST /v1/runs' && span.attributes[SPAN_ATTRIBUTES.requestId] === requestId);
    const spans = await spansOnceExported(() => requestSpan()?.traceId, 'RunWorkflow:agentRun');
    const root = requestSpan();
    expect(root).toBeDefined();
    expect(root?.parentSpanId).toBeUndefined();
    expect(root?.resource['service.name']).toBe('keel');
    expect(root?.attributes[SPAN_ATTRIBUTES.httpRoute]).toBe('/v1/runs');

    const one = (spanName: string, parent?: ReceivedSpan) => {
      const found = spans.filter((span) => span.name === spanName && (!parent || span.parentSpanId === parent.spanId));
      expect(found.map((span) => span.name)).toContain(spanName);
      return found;
    };
    const [start] = one('StartWorkflow:agentRun', root);
    const [execution] = one('RunWorkflow:agentRun', start);
    // Steps run local-first: each is scheduled as runStepLocally (and continues as runStep when slow).
    const scheduled = spans.filter((span) => /^StartActivity:runStep(Locally)?$/.test(span.name) && span.parentSpanId === execution?.spanId);
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    const attempts = spans.filter((span) => /^RunActivity:runStep(Locally)?$/.test(span.name) && scheduled.some((parent) => parent.spanId === span.parentSpanId));
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.every((span) => span.attributes[SPAN_ATTRIBUTES.requestId] === requestId)).toBe(true);
    const inAttempt = (span: ReceivedSpan) => attempts.some((attempt) => attempt.spanId === span.parentSpanId);

    const modelCalls = spans.filter((span) => span.name === SPAN_NAMES.modelCall && inAttempt(span));
    expect(modelCalls).toHaveLength(2);
    for (const call of modelCalls) {
      expect(call.attributes[SPAN_ATTRIBUTES.model]).toBe(`local/${name}`);
      expect(call.attributes[SPAN_ATTRIBUTES.provider]).toBe('openai');
      expect(call.attributes[SPAN_ATTRIBUTES.inputTokens]).toEqual(expect.any(Number));
      expect(call.attributes[SPAN_ATTRIBUTES.outputTokens]).toEqual(expect.any(Number));
    }
    const toolCalls = spans.filter((span) => span.name === SPAN_NAMES.toolCall && inAttempt(span));
    expect(toolCalls).toHaveLength(1);
    expect(toolCalls[0]?.attributes).toMatchObject({ [SPAN_ATTRIBUTES.toolName]: 'write_file', [SPAN_ATTRIBUTES.toolVerdict]: 'run', [SPAN_ATTRIBUTES.toolIsError]: false });
    const published = spans.filter((span) => span.name === SPAN_NAMES.eventsPublish);
    expect(published.length).toBeGreaterThan(0);
    expect(published.flatMap((span) => span.attributes[SPAN_ATTRIBUTES.eventTypes] as string[])).toEqual(expect.arrayContaining(['tool-call.finished', 'answer.final']));
    expect(spans.find((span) => span.name === 'StartActivity:finishRun')?.parentSpanId).toBe(execution?.spanId);

    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const traceId = root?.traceId;
    // The API's line for the request and the worker's line for each step carry the trace and the request id.
    expect(logged.some((line) => line.requestId === requestId && line.trace_id === traceId && line.msg === 'request completed')).toBe(true);
    const steps = logged.filter((line) => line.msg === 'step finished' && line.runId === runId);
    expect(steps).toHaveLength(2);
    expect(steps.every((line) => line.requestId === requestId && line.trace_id === traceId && typeof line.span_id === 'string')).toBe(true);
  });
});
