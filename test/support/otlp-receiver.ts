// A local OTLP/HTTP trace receiver for tests: accepts the JSON encoding on /v1/traces (the exporter
// Keel uses with OTEL_EXPORTER_OTLP_PROTOCOL=http/json) and keeps every span it was sent, flattened.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const AnyValueSchema: z.ZodType<unknown> = z.lazy(() => z.object({
  stringValue: z.string().optional(),
  intValue: z.union([z.string(), z.number()]).optional(),
  doubleValue: z.number().optional(),
  boolValue: z.boolean().optional(),
  arrayValue: z.object({ values: z.array(AnyValueSchema).optional() }).optional(),
}).loose());
const KeyValueSchema = z.object({ key: z.string(), value: AnyValueSchema });
const SpanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.number().optional(),
  attributes: z.array(KeyValueSchema).optional(),
  status: z.object({ code: z.number().optional() }).loose().optional(),
}).loose();
const ExportTraceRequestSchema = z.object({
  resourceSpans: z.array(z.object({
    resource: z.object({ attributes: z.array(KeyValueSchema).optional() }).loose().optional(),
    scopeSpans: z.array(z.object({ scope: z.object({ name: z.string().optional() }).loose().optional(), spans: z.array(SpanSchema).optional() })).optional(),
  })).optional(),
});

export type ReceivedSpan = {
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId?: string;
  name: string;
  scope?: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
};

export type OtlpReceiver = { url: string; spans: ReceivedSpan[]; requests: number; close(): Promise<void> };

function plain(value: unknown): unknown {
  const parsed = AnyValueSchema.parse(value) as { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: unknown[] } };
  if (parsed.stringValue !== undefined) return parsed.stringValue;
  if (parsed.intValue !== undefined) return Number(parsed.intValue);
  if (parsed.doubleValue !== undefined) return parsed.doubleValue;
  if (parsed.boolValue !== undefined) return parsed.boolValue;
  if (parsed.arrayValue !== undefined) return (parsed.arrayValue.values ?? []).map(plain);
  return undefined;
}

function attributesOf(list: Array<z.infer<typeof KeyValueSchema>> | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, plain(value)]));
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const receiver: OtlpReceiver = { url: '', spans: [], requests: 0, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces' || !String(request.headers['content-type']).includes('json')) {
        response.writeHead(415).end();
        return;
      }
      receiver.requests += 1;
      const body = ExportTraceRequestSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = attributesOf(resourceSpans.resource?.attributes);
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            receiver.spans.push({
              traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, name: span.name,
              scope: scopeSpans.scope?.name, attributes: attributesOf(span.attributes), resource,
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}
