// Run routes: create, read, list, send a message, cancel.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseStoredRunSpec, parseStoredRunStatus } from '../../core/run-input-schema';
import { usageSchema } from '../../core/events/event-fields';
import type { RunRow } from '../../stores/runs-repository';
import { principalOf } from '../auth';
import { HttpError } from '../http-error';
import type { RunService } from '../run-service';
import { cancelBody, createRunBody, errorResponse, listRunsQuery, runIdParams, runResource, sendMessageBody } from '../schemas';

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export function toRunResource(row: RunRow, live?: unknown, temporalUiUrl?: string) {
  const spec = parseStoredRunSpec(row.id, row.spec);
  return {
    id: row.id,
    status: parseStoredRunStatus(row.id, row.status),
    step: row.step,
    model: spec.models[0] ?? null,
    models: spec.models,
    complexity: spec.complexity ?? null,
    budget: spec.budget ?? null,
    agent: spec.agent ?? null,
    experiment: row.experimentId !== null && row.experimentArm !== null ? { id: row.experimentId, arm: row.experimentArm } : null,
    policy: spec.policy ?? null,
    usage: usageSchema.parse(row.usage),
    costUsd: row.costUsd,
    outcome: row.outcome ?? null,
    output: row.output ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    parentRunId: row.parentRunId ?? null,
    forkedFromStep: row.forkedFromStep ?? null,
    ...(live === undefined ? {} : { live }),
    links: {
      self: `/v1/runs/${row.id}`,
      events: `/v1/runs/${row.id}/events`,
      messages: `/v1/runs/${row.id}/messages`,
      temporal: `${temporalUiUrl ?? ''}/namespaces/default/workflows/${row.id}`,
    },
  };
}

export function runRoutes(service: RunService, temporalUiUrl: string | undefined): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/runs', {
      config: { permission: 'runs:create' },
      schema: {
        summary: 'Start an agent run',
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        body: createRunBody,
        response: { 200: runResource, 202: runResource, 400: errorResponse, 401: errorResponse, 404: errorResponse },
      },
    }, async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
        throw new HttpError(400, 'invalid_request', 'Idempotency-Key must be 1-200 visible ASCII characters', { field: 'headers.idempotency-key' });
      }
      const { row, created } = await service.create(principalOf(request), request.body, key, request.id);
      void reply.header('location', `/v1/runs/${row.id}`);
      return reply.status(created ? 202 : 200).send(toRunResource(row, undefined, temporalUiUrl));
    });

    app.get('/v1/runs', {
      config: { permission: 'runs:read' },
      schema: { summary: 'List runs of your tenant, newest first', querystring: listRunsQuery, response: { 200: z.object({ runs: z.array(runResource) }) } },
    }, async (request) => {
      const rows = await service.list(principalOf(request), request.query.limit);
      return { runs: rows.map((row) => toRunResource(row, undefined, temporalUiUrl)) };
    });

    app.get('/v1/runs/:id', {
      config: { permission: 'runs:read' },
      schema: { summary: 'A run: status, step, usage, outcome, live state', params: runIdParams, response: { 200: runResource, 404: errorResponse } },
    }, async (request) => {
      const row = await service.get(principalOf(request), request.params.id);
      return toRunResource(row, await service.liveState(row), temporalUiUrl);
    });

    app.get('/v1/runs/:id/history', {
      config: { permission: 'runs:read' },
      schema: {
        summary: "The run's Temporal workflow history as JSON (what `temporal workflow show --output json` and the Web UI's download give; `keel replay` replays it)",
        params: runIdParams,
        response: { 200: z.looseObject({ events: z.array(z.unknown()) }), 404: errorResponse, 503: errorResponse },
      },
    }, async (request) => service.history(principalOf(request), request.params.id));

    app.post('/v1/runs/:id/messages', {
      config: { permission: 'runs:control' },
      schema: {
        summary: 'Send the agent a message; it is read at the next step',
        params: runIdParams, body: sendMessageBody,
        response: { 202: z.object({ accepted: z.literal(true), messageId: z.string(), pendingMessages: z.number() }), 404: errorResponse, 409: errorResponse },
      },
    }, async (request, reply) => {
      const result = await service.sendMessage(principalOf(request), request.params.id, request.body.text);
      return reply.status(202).send(result);
    });

    app.post('/v1/runs/:id/cancel', {
      config: { permission: 'runs:control' },
      schema: { summary: 'Cancel a run gracefully', params: runIdParams, body: cancelBody, response: { 202: z.object({ id: z.string(), cancelling: z.literal(true) }), 404: errorResponse, 409: errorResponse } },
    }, async (request, reply) => {
      await service.cancel(principalOf(request), request.params.id, request.body?.reason);
      return reply.status(202).send({ id: request.params.id, cancelling: true as const });
    });
  };
}
