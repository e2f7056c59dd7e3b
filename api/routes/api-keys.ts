// API-key routes: create (the secret answered once), list by prefix with last use and expiry,
// rotate with an overlap window, revoke.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createdKeyResource, createKeyBody, DEFAULT_ROTATION_OVERLAP_SECONDS, keyParams, keyResource, listKeysQuery, rotateKeyBody, tenantParams } from '../admin-schemas';
import { principalOf } from '../auth';
import { toKeyResource, type KeyAdminService } from '../key-admin-service';
import { errorResponse } from '../schemas';
import type { TenantScope } from '../tenant-scope';

export function apiKeyRoutes(service: KeyAdminService, scope: TenantScope): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/tenants/:tenantId/keys', {
      config: { permission: 'keys:write' },
      schema: { summary: 'Create an API key for a user; the secret is in this answer only', params: tenantParams, body: createKeyBody, response: { 201: createdKeyResource, 400: errorResponse, 403: errorResponse, 404: errorResponse } },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const tenantId = await scope.reach(principal, request.params.tenantId);
      const { row, key } = await service.create(principal, tenantId, request.body);
      return reply.status(201).header('cache-control', 'no-store').send({ key: toKeyResource(row), secret: key });
    });

    app.get('/v1/tenants/:tenantId/keys', {
      config: { permission: 'keys:read' },
      schema: { summary: "A tenant's API keys (prefix, last use, expiry; never the secret)", params: tenantParams, querystring: listKeysQuery, response: { 200: z.object({ keys: z.array(keyResource) }), 400: errorResponse, 404: errorResponse } },
    }, async (request) => {
      const tenantId = await scope.reach(principalOf(request), request.params.tenantId);
      return { keys: (await service.list(tenantId, request.query)).map(toKeyResource) };
    });

    app.post('/v1/tenants/:tenantId/keys/:keyId/rotate', {
      config: { permission: 'keys:write' },
      schema: { summary: 'Rotate a key: a new secret now, the old one keeps working for the overlap window', params: keyParams, body: rotateKeyBody, response: { 201: createdKeyResource.extend({ previous: keyResource }), 403: errorResponse, 404: errorResponse, 409: errorResponse } },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const tenantId = await scope.reach(principal, request.params.tenantId);
      const { row, key, previous } = await service.rotate(principal, tenantId, request.params.keyId, request.body?.overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS);
      return reply.status(201).header('cache-control', 'no-store').send({ key: toKeyResource(row), secret: key, previous: toKeyResource(previous) });
    });

    app.delete('/v1/tenants/:tenantId/keys/:keyId', {
      config: { permission: 'keys:write' },
      schema: { summary: 'Revoke a key: it answers 401 from now on', params: keyParams, response: { 200: keyResource, 404: errorResponse } },
    }, async (request) => {
      const principal = principalOf(request);
      const tenantId = await scope.reach(principal, request.params.tenantId);
      return toKeyResource(await service.revoke(principal, tenantId, request.params.keyId));
    });
  };
}
