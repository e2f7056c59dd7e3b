// Worker Deployment routes (platform operator): which builds of Keel's workers take new runs, and
// ramp, promote and roll back between them. Runs already started stay on their build (pinned).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth';
import { deploymentChangeResource, deploymentListResource, deploymentParams, deploymentResource, promoteBody, rampBody, rollbackBody } from '../deployment-schemas';
import type { DeploymentService } from '../deployment-service';
import { errorResponse } from '../schemas';

/** What a change (ramp, promote, rollback) answers: the change and the deployment after it, or why Temporal refused. */
const CHANGE_RESPONSES = { 200: deploymentChangeResource, 400: errorResponse, 404: errorResponse, 409: errorResponse, 503: errorResponse };

export function deploymentRoutes(service: DeploymentService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/deployments', {
      config: { permission: 'deployments:read' },
      schema: { summary: "The namespace's Worker Deployments and where their new runs go (platform operator)", response: { 200: deploymentListResource, 503: errorResponse } },
    }, async () => ({ deployments: await service.list() }));

    app.get('/v1/deployments/:name', {
      config: { permission: 'deployments:read' },
      schema: { summary: 'A Worker Deployment: its current and ramping builds and every build seen polling (platform operator)', params: deploymentParams, response: { 200: deploymentResource, 404: errorResponse, 503: errorResponse } },
    }, async (request) => service.status(request.params.name));

    app.post('/v1/deployments/:name/ramp', {
      config: { permission: 'deployments:write' },
      schema: {
        summary: 'Send a percentage of new runs to a build; runs already started stay where they are (platform operator)',
        params: deploymentParams, body: rampBody,
        response: CHANGE_RESPONSES,
      },
    }, async (request) => service.ramp(principalOf(request), request.params.name, request.body.buildId, request.body.percentage));

    app.post('/v1/deployments/:name/promote', {
      config: { permission: 'deployments:write' },
      schema: {
        summary: 'Make a build (by default the ramping one) current: every new run goes to it (platform operator)',
        params: deploymentParams, body: promoteBody,
        response: CHANGE_RESPONSES,
      },
    }, async (request) => service.promote(principalOf(request), request.params.name, request.body?.buildId));

    app.post('/v1/deployments/:name/rollback', {
      config: { permission: 'deployments:write' },
      schema: {
        summary: 'Stop the ramp in progress, or with none, make the build current before the last promotion current again (platform operator)',
        params: deploymentParams, body: rollbackBody,
        response: CHANGE_RESPONSES,
      },
    }, async (request) => service.rollback(principalOf(request), request.params.name));
  };
}
