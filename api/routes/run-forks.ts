// The fork route: POST /v1/runs/:id/fork starts a new run that continues the parent from one of its steps.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth';
import { forkRunBody } from '../fork-schemas';
import type { RunForkService } from '../run-fork-service';
import { errorResponse, runIdParams, runResource } from '../schemas';
import { toRunResource } from './runs';

export function runForkRoutes(service: RunForkService, temporalUiUrl: string | undefined): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/runs/:id/fork', {
      config: { permission: 'runs:create' },
      schema: {
        summary: "Fork a run from a step: a new run on the parent's transcript up to that step (by reference) and its workspace as it was then",
        params: runIdParams,
        body: forkRunBody,
        response: { 202: runResource, 400: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    }, async (request, reply) => {
      const row = await service.fork(principalOf(request), request.params.id, request.body, request.id);
      void reply.header('location', `/v1/runs/${row.id}`);
      return reply.status(202).send(toRunResource(row, undefined, temporalUiUrl));
    });
  };
}
