// The attribute names Keel's spans carry: OpenTelemetry's semantic conventions where one exists
// (HTTP, GenAI), `keel.*` for Keel's own facts. One list, so the tests and the README name the same keys.

export const SPAN_ATTRIBUTES = {
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  urlPath: 'url.path',
  httpStatus: 'http.response.status_code',
  requestId: 'keel.request_id',
  runId: 'keel.run_id',
  tenantId: 'keel.tenant_id',
  step: 'keel.step',
  /** GenAI conventions: the model asked, the provider's wire format, tokens in and out. */
  model: 'gen_ai.request.model',
  provider: 'gen_ai.provider.name',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  finishReason: 'gen_ai.response.finish_reasons',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  /** What the gate decided: run, refuse or review. */
  toolVerdict: 'keel.tool.verdict',
  /** The safety rules' verdict, when they judged the call. */
  toolSafety: 'keel.tool.safety',
  toolIsError: 'keel.tool.is_error',
  eventCount: 'keel.events.count',
  eventTypes: 'keel.events.types',
} as const;

/** Span names of Keel's own spans (Temporal's are StartWorkflow:…, RunWorkflow:…, StartActivity:…, RunActivity:…). */
export const SPAN_NAMES = {
  modelCall: 'model.call',
  toolCall: 'tool.call',
  eventsPublish: 'events.publish',
} as const;
