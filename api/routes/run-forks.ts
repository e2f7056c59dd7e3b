// The fork route: POST /v1/runs/:id/fork starts a new run that continues the parent from one of its steps.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth';
import { HttpError } from '../http-error';
import { forkRunBody } from '../fork-schemas';
import type { RunForkService } from '../run-fork-service';
import { errorResponse, runIdParams, runResource } from '../schemas';
import { IDEMPOTENCY_KEY_PATTERN, toRunResource } from './runs';

export function runForkRoutes(service: RunForkService, temporalUiUrl: string | undefined): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/runs/:id/fork', {
      config: { permission: 'runs:create' },
      schema: {
        summary: "Fork a run from a step: a new run on the parent's transcript up to that step (by reference) and its workspace as it was then",
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        params: runIdParams,
        body: forkRunBody,
        response: { 200: runResource, 202: runResource, 400: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    }, async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
        throw new HttpError(400, 'invalid_request', 'Idempotency-Key must be 1-200 visible ASCII characters', { field: 'headers.idempotency-key' });
      }
      const { row, created } = await service.fork(principalOf(request), request.params.id, request.body, key, request.id);
      void reply.header('location', `/v1/runs/${row.id}`);
      return reply.status(created ? 202 : 200).send(toRunResource(row, undefined, temporalUiUrl));
    });
  };
}
