// One server span per API request while tracing is on, active while the request is handled, so a
// run's workflow start (the Temporal client interceptor) and the request's log lines join its trace.
// A caller's W3C `traceparent` makes it a child of the caller's span.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { SPAN_ATTRIBUTES, TRACER_NAME } from '../runtime/tracing';

const UNMATCHED_ROUTE = 'unmatched';
/** Scrapes and probes: a span every few seconds that says nothing about any run. */
export const UNTRACED_ROUTES: ReadonlySet<string> = new Set(['/metrics', '/healthz', '/readyz']);

export function traceRequests(app: FastifyInstance): void {
  const tracer = trace.getTracer(TRACER_NAME);
  const spans = new WeakMap<FastifyRequest, Span>();
  const activate = (request: FastifyRequest, done: HookHandlerDoneFunction) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  };
  const end = (request: FastifyRequest, reply: FastifyReply | undefined) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    if (reply) {
      span.setAttribute(SPAN_ATTRIBUTES.httpStatus, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } else {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted' });
    }
    span.end();
  };
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    if (UNTRACED_ROUTES.has(route)) return done();
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: {
        [SPAN_ATTRIBUTES.httpMethod]: request.method,
        [SPAN_ATTRIBUTES.httpRoute]: route,
        [SPAN_ATTRIBUTES.urlPath]: request.url.split('?')[0],
        [SPAN_ATTRIBUTES.requestId]: request.id,
      },
    }, parent);
    spans.set(request, span);
    context.with(trace.setSpan(parent, span), done);
  });
  // Body parsing runs on the socket's events, outside the context above: the handler gets it again here.
  app.addHook('preHandler', (request, _reply, done) => activate(request, done));
  app.addHook('onResponse', (request, reply, done) => {
    end(request, reply);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    end(request, undefined);
    done();
  });
}
