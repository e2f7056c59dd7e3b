// Experiment routes: create (admin), list, read, stop with a winner (admin), and the per-arm report.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth';
import type { ExperimentReports } from '../experiment-report';
import { toExperimentResource } from '../experiment-resource';
import {
  createExperimentBody, experimentIdParams, experimentReport, experimentResource, listExperimentsQuery, stopExperimentBody,
} from '../experiment-schemas';
import type { ExperimentService } from '../experiment-service';
import { errorResponse } from '../schemas';

export function experimentRoutes(service: ExperimentService, reports: ExperimentReports): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/experiments', {
      config: { permission: 'experiments:write' },
      schema: {
        summary: "Start an A/B experiment on an agent: its runs get an arm (weighted overrides of the agent's settings), sticky per user",
        body: createExperimentBody,
        response: { 201: experimentResource, 400: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    }, async (request, reply) => {
      const row = await service.create(principalOf(request), request.body);
      void reply.header('location', `/v1/experiments/${row.id}`);
      return reply.status(201).send(toExperimentResource(row));
    });

    app.get('/v1/experiments', {
      config: { permission: 'experiments:read' },
      schema: { summary: "Your tenant's experiments, newest first", querystring: listExperimentsQuery, response: { 200: z.object({ experiments: z.array(experimentResource) }), 400: errorResponse } },
    }, async (request) => ({ experiments: (await service.list(principalOf(request), request.query.limit, request.query.agent)).map(toExperimentResource) }));

    app.get('/v1/experiments/:id', {
      config: { permission: 'experiments:read' },
      schema: { summary: 'An experiment: its agent, arms, status and winner', params: experimentIdParams, response: { 200: experimentResource, 404: errorResponse } },
    }, async (request) => toExperimentResource(await service.get(principalOf(request), request.params.id)));

    app.post('/v1/experiments/:id/stop', {
      config: { permission: 'experiments:write' },
      schema: {
        summary: "Stop an experiment: every new run of its agent gets the winner arm's overrides",
        params: experimentIdParams, body: stopExperimentBody,
        response: { 200: experimentResource, 400: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    }, async (request) => toExperimentResource(await service.stop(principalOf(request), request.params.id, request.body.winner)));

    app.get('/v1/experiments/:id/report', {
      config: { permission: 'experiments:read' },
      schema: {
        summary: 'Per-arm metrics (rates and means) with 95% intervals and tests against the first arm',
        params: experimentIdParams, response: { 200: experimentReport, 404: errorResponse },
      },
    }, async (request) => reports.report(await service.get(principalOf(request), request.params.id)));
  };
}
