// The full output of one of a run's tool calls, a page of lines at a time: what `read_tool_output`
// gives the agent, for the console's "show the full output" (events carry only a 500-character
// preview). The call is named by its reference, or by the model's call id and its step.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { outputPage } from '../../tools/read-tool-output';
import type { ToolResultsRepository } from '../../stores/tool-results-repository';
import { principalOf } from '../auth';
import { notFound } from '../http-error';
import type { RunService } from '../run-service';
import { errorResponse, toolOutputParams, toolOutputQuery, toolOutputResource } from '../schemas';

export function toolOutputRoutes(service: RunService, results: ToolResultsRepository): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/runs/:id/tool-outputs/:callId', {
      config: { permission: 'runs:read' },
      schema: {
        summary: "A page of lines of one tool call's full output",
        params: toolOutputParams, querystring: toolOutputQuery,
        response: { 200: toolOutputResource, 404: errorResponse },
      },
    }, async (request) => {
      const principal = principalOf(request);
      // The run first: another tenant's run is a 404 before its calls are looked at.
      await service.get(principal, request.params.id);
      const scope = { tenantId: principal.tenantId, runId: request.params.id };
      const { step } = request.query;
      const reference = step === undefined ? request.params.callId : await results.referenceOf(scope, step, request.params.callId);
      const stored = reference === undefined ? undefined : await results.readOutput(scope, reference);
      if (!stored) throw notFound('tool call', request.params.callId);
      const page = outputPage(stored.output, request.query.offset, request.query.limit);
      return { callId: request.params.callId, reference: reference ?? request.params.callId, toolName: stored.toolName, ...page };
    });
  };
}
