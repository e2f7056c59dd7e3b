// Server-sent events of a run: persisted events replayed after `Last-Event-ID`, then live events and
// token deltas from the bus. Storage is polled as well, so an event the bus dropped still arrives.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeltaDataSchema, RUN_EVENT_TYPES, RunEventSchema, TERMINAL_EVENT_TYPES, type BusMessage, type RunEvent } from '../../core/events';
import { TERMINAL_STATUSES, type RunStatus } from '../../core/run-status';
import type { EventBus } from '../../stores/event-bus';
import type { EventsRepository } from '../../stores/events-repository';
import { principalOf } from '../auth';
import { HttpError } from '../http-error';
import type { RunService } from '../run-service';
import { errorResponse, runIdParams } from '../schemas';

/** How often a stream checks storage when the bus may have dropped events (Redis down, or no bus from the worker). */
export const SSE_POLL_INTERVAL_MS = 1000;
/**
 * How often it checks anyway while the bus delivers: a safety net for an event whose publish was
 * lost without a reconnect here. Polling every stream every second costs one query per client per
 * second, which at hundreds of clients is most of the database's work.
 */
export const SSE_SAFETY_POLL_MS = 10_000;
export const SSE_KEEPALIVE_MS = 15_000;
/** A run's status turns terminal a moment before its terminal event is stored (activities/finish-run.ts). */
export const SSE_FINISHED_GRACE_MS = 5_000;

/** Counts the open streams (the API's `keel_sse_clients` gauge). */
export type StreamGauge = { inc(): void; dec(): void };

/** The most events one page of the JSON list holds. */
export const EVENT_PAGE_LIMIT = 1000;

const EVENT_TYPE_LIST = [...Object.values(RUN_EVENT_TYPES), 'delta'].map((type) => `\`${type}\``).join(', ');

/** Documents the stream: the data of every SSE message is a persisted event, or a delta's payload. */
const sseMessage = z.union([RunEventSchema, DeltaDataSchema]).describe(
  `text/event-stream, not JSON: each message's \`event:\` is its type (${EVENT_TYPE_LIST}) and its \`data:\` one of these as JSON (a persisted event, or for \`delta\` the delta's payload, which has no id).`,
);

export function eventRoutes(service: RunService, events: EventsRepository, bus: EventBus, streams?: StreamGauge): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/runs/:id/events/list', {
      config: { permission: 'runs:read' },
      schema: {
        summary: 'A page of a run\'s persisted events (JSON), oldest first',
        description: 'Events with an id above `after`, at most `limit`; `nextAfter` is the `after` of the next page (null when this page is the last so far). Deltas are never persisted: follow the SSE stream for them.',
        params: runIdParams,
        querystring: z.object({
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
          limit: z.coerce.number().int().min(1).max(EVENT_PAGE_LIMIT).default(EVENT_PAGE_LIMIT),
        }),
        response: { 200: z.object({ events: z.array(RunEventSchema), nextAfter: z.number().int().nullable() }), 404: errorResponse },
      },
    }, async (request) => {
      const principal = principalOf(request);
      await service.get(principal, request.params.id);
      const page = await events.listAfter(principal.tenantId, request.params.id, request.query.after, request.query.limit);
      const last = page.at(-1);
      return { events: page, nextAfter: last !== undefined && page.length === request.query.limit ? last.id : null };
    });

    app.get('/v1/runs/:id/events', {
      config: { permission: 'runs:read' },
      schema: {
        summary: 'Follow a run (text/event-stream); resumable with Last-Event-ID',
        description: 'Each persisted event has an `id:`; token deltas arrive as `event: delta` without an id. The stream ends after the terminal event.',
        params: runIdParams,
        querystring: z.object({ after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }),
        headers: z.object({ 'last-event-id': z.string().optional() }).passthrough(),
        // Never serialised (the handler writes the stream itself): it documents each message's data.
        response: { 200: sseMessage, 404: errorResponse },
      },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const runId = request.params.id;
      const run = await service.get(principal, runId);
      const header = request.headers['last-event-id'];
      // Digits only: Number() would also take '0x10', '1e3' and ' 1'.
      const fromHeader = header === undefined ? undefined : /^\d{1,16}$/.test(header) ? Number(header) : Number.NaN;
      if (fromHeader !== undefined && !Number.isSafeInteger(fromHeader)) {
        throw new HttpError(400, 'invalid_request', 'Last-Event-ID must be a non-negative integer event id', { field: 'headers.last-event-id' });
      }
      let lastId = fromHeader ?? request.query.after ?? 0;

      reply.hijack();
      const raw = reply.raw;
      streams?.inc();
      raw.once('close', () => streams?.dec());
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let closed = false;
      let finished = false;
      const queue: BusMessage[] = [];
      // Live events queue behind the first catch-up, which starts once the subscription is in place:
      // everything committed before it is read from storage, everything after arrives on the bus.
      let startCatchUp: () => void = () => undefined;
      const subscribed = new Promise<void>((resolve) => { startCatchUp = resolve; });
      let draining = subscribed;

      const writeEvent = (event: RunEvent) => {
        if (event.id <= lastId || closed) return;
        lastId = event.id;
        raw.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        if (TERMINAL_EVENT_TYPES.includes(event.type)) finished = true;
      };
      const catchUp = async () => {
        for (;;) {
          const page = await events.listAfter(principal.tenantId, runId, lastId);
          for (const event of page) writeEvent(event);
          if (page.length < 1000) return;
        }
      };
      let corked = false;
      const uncork = () => {
        if (!corked) return;
        corked = false;
        raw.uncork();
      };
      const end = () => {
        if (closed) return;
        uncork();
        closed = true;
        clearInterval(poller);
        clearInterval(keepalive);
        unsubscribe?.();
        raw.end();
      };
      // Bus messages are serialised behind catch-up, so ids reach the client in order without gaps.
      const onBus = (message: BusMessage) => {
        // A step's events arrive together: one socket write for all of them.
        if (!corked) {
          corked = true;
          raw.cork();
          setImmediate(uncork);
        }
        queue.push(message);
        draining = draining.then(async () => {
          const next = queue.shift();
          if (!next || closed) return;
          if (next.kind === 'delta') raw.write(`event: delta\ndata: ${JSON.stringify(next.delta.data)}\n\n`);
          else if (next.event.id > lastId) {
            // The bus may have dropped earlier events (Redis restarting while the worker published):
            // storage fills the hole first, or the client would skip them for good. An event that
            // names its predecessor, one this stream already wrote, has no hole before it.
            if (next.previousId === undefined || next.previousId > lastId) await catchUp();
            writeEvent(next.event);
          }
          if (finished) end();
        }).catch(() => end());
      };

      // A run that had finished well before has nothing more to come: a client resuming past its
      // terminal event gets the end, not an endless keepalive. Within the grace the event may still come.
      const finishedAtMs = TERMINAL_STATUSES.includes(run.status as RunStatus) ? (run.finishedAt ?? run.updatedAt).getTime() : undefined;
      const pastTheEnd = () => finishedAtMs !== undefined && Date.now() - finishedAtMs > SSE_FINISHED_GRACE_MS;
      draining = subscribed.then(catchUp).then(() => { if (finished || pastTheEnd()) end(); }).catch(() => end());
      const unsubscribe: (() => void) | undefined = await bus.subscribe(runId, onBus);
      let polledAt = Date.now();
      let polledEpoch = bus.delivery().epoch;
      const poller = setInterval(() => {
        const delivery = bus.delivery();
        const due = !delivery.live || delivery.epoch !== polledEpoch || Date.now() - polledAt >= SSE_SAFETY_POLL_MS || finishedAtMs !== undefined;
        if (!due) return;
        polledAt = Date.now();
        polledEpoch = delivery.epoch;
        draining = draining.then(catchUp).then(() => { if (finished || pastTheEnd()) end(); }).catch(() => end());
      }, SSE_POLL_INTERVAL_MS);
      const keepalive = setInterval(() => { if (!closed) raw.write(': keepalive\n\n'); }, SSE_KEEPALIVE_MS);
      raw.on('close', end);
      raw.write(': connected\n\n');
      startCatchUp();
    });
  };
}
