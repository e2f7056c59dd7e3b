// Tenant routes (platform operator): create, list, read, suspend and resume tenants.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createTenantBody, listTenantsQuery, suspendTenantBody, tenantParams, tenantResource } from '../admin-schemas';
import { principalOf } from '../auth';
import { errorResponse } from '../schemas';
import { toTenantResource, type TenantAdminService } from '../tenant-admin-service';

export function tenantRoutes(service: TenantAdminService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/tenants', {
      config: { permission: 'tenants:admin' },
      schema: { summary: 'Create a tenant (platform operator)', body: createTenantBody, response: { 201: tenantResource, 400: errorResponse, 409: errorResponse } },
    }, async (request, reply) => reply.status(201).send(toTenantResource(await service.create(principalOf(request), request.body))));

    app.get('/v1/tenants', {
      config: { permission: 'tenants:admin' },
      schema: { summary: 'List tenants in id order (platform operator)', querystring: listTenantsQuery, response: { 200: z.object({ tenants: z.array(tenantResource), nextCursor: z.string().nullable() }), 400: errorResponse } },
    }, async (request) => {
      const { rows, nextCursor } = await service.list(request.query);
      return { tenants: rows.map(toTenantResource), nextCursor };
    });

    app.get('/v1/tenants/:tenantId', {
      config: { permission: 'tenants:admin' },
      schema: { summary: 'A tenant (platform operator)', params: tenantParams, response: { 200: tenantResource, 404: errorResponse } },
    }, async (request) => toTenantResource(await service.get(request.params.tenantId)));

    app.post('/v1/tenants/:tenantId/suspend', {
      config: { permission: 'tenants:admin' },
      schema: { summary: "Suspend a tenant: its keys answer 403 until it is resumed (platform operator)", params: tenantParams, body: suspendTenantBody, response: { 200: tenantResource, 404: errorResponse, 409: errorResponse } },
    }, async (request) => toTenantResource(await service.suspend(principalOf(request), request.params.tenantId, request.body?.reason)));

    app.post('/v1/tenants/:tenantId/resume', {
      config: { permission: 'tenants:admin' },
      schema: { summary: 'Resume a suspended tenant (platform operator)', params: tenantParams, response: { 200: tenantResource, 404: errorResponse } },
    }, async (request) => toTenantResource(await service.resume(principalOf(request), request.params.tenantId)));
  };
}
