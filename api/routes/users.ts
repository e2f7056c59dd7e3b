// User routes: a tenant's users, created, listed and changed (role, disabled) by its admins or the
// platform operator.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createUserBody, tenantParams, updateUserBody, userParams, userResource } from '../admin-schemas';
import { principalOf } from '../auth';
import { errorResponse } from '../schemas';
import type { TenantScope } from '../tenant-scope';
import { toUserResource, type UserAdminService } from '../user-admin-service';

export function userRoutes(service: UserAdminService, scope: TenantScope): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/tenants/:tenantId/users', {
      config: { permission: 'users:write' },
      schema: { summary: 'Create a user with a role (you may grant only roles whose permissions you hold)', params: tenantParams, body: createUserBody, response: { 201: userResource, 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse } },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const tenantId = await scope.reach(principal, request.params.tenantId);
      return reply.status(201).send(toUserResource(await service.create(principal, tenantId, request.body)));
    });

    app.get('/v1/tenants/:tenantId/users', {
      config: { permission: 'users:read' },
      schema: { summary: "A tenant's users", params: tenantParams, response: { 200: z.object({ users: z.array(userResource) }), 404: errorResponse } },
    }, async (request) => {
      const tenantId = await scope.reach(principalOf(request), request.params.tenantId);
      return { users: (await service.list(tenantId)).map(toUserResource) };
    });

    app.get('/v1/tenants/:tenantId/users/:userId', {
      config: { permission: 'users:read' },
      schema: { summary: 'A user', params: userParams, response: { 200: userResource, 404: errorResponse } },
    }, async (request) => {
      const tenantId = await scope.reach(principalOf(request), request.params.tenantId);
      return toUserResource(await service.get(tenantId, request.params.userId));
    });

    app.patch('/v1/tenants/:tenantId/users/:userId', {
      config: { permission: 'users:write' },
      schema: { summary: "Change a user's role, or disable (every key of theirs answers 403) and enable them", params: userParams, body: updateUserBody, response: { 200: userResource, 400: errorResponse, 403: errorResponse, 404: errorResponse } },
    }, async (request) => {
      const principal = principalOf(request);
      const tenantId = await scope.reach(principal, request.params.tenantId);
      return toUserResource(await service.update(principal, tenantId, request.params.userId, request.body));
    });
  };
}
