// Eval routes: a run's scores, scoring a finished run on request, and an agent's score aggregates.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth';
import type { ScoreService } from '../score-service';
import { agentNameParams, errorResponse, runIdParams } from '../schemas';
import { agentScoresQuery, agentScoresResponse, runScoresResponse, scoreRunBody, scoringResponse } from '../score-schemas';

export function scoreRoutes(service: ScoreService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/runs/:id/scores', {
      config: { permission: 'runs:read' },
      schema: {
        summary: "A run's eval scores: live ones (its agent's sample) and those asked for, oldest first",
        params: runIdParams,
        response: { 200: runScoresResponse, 400: errorResponse, 404: errorResponse },
      },
    }, async (request) => ({ runId: request.params.id, scores: await service.forRun(principalOf(request), request.params.id) }));

    app.post('/v1/runs/:id/scores', {
      config: { permission: 'runs:control' },
      schema: {
        summary: 'Score a finished run with the given scorers or its agent\'s; answers with the scores once a worker has made them',
        params: runIdParams,
        body: scoreRunBody.optional(),
        response: { 201: scoringResponse, 400: errorResponse, 404: errorResponse, 409: errorResponse, 502: errorResponse },
      },
    }, async (request, reply) => {
      const scoring = await service.score(principalOf(request), request.params.id, request.body ?? {});
      return reply.status(201).send({ runId: request.params.id, ...scoring });
    });

    app.get('/v1/agents/:name/scores', {
      config: { permission: 'agents:read' },
      schema: {
        summary: "An agent's eval scores summed per scorer and overall: n, mean, pass rate",
        params: agentNameParams,
        querystring: agentScoresQuery,
        response: { 200: agentScoresResponse, 400: errorResponse, 404: errorResponse },
      },
    }, async (request) => service.forAgent(principalOf(request), request.params.name, request.query));
  };
}
