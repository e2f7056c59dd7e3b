// The permission hook on a bare Fastify app: a declared permission the role holds passes, one it
// lacks is a 403 naming it, and a route that declares none is shut to every role (even platform).
import Fastify, { type FastifyInstance } from 'fastify';
import { authorise, RoutePermissions } from '../../../api/permissions';
import { handleError } from '../../../api/http-error';

async function appWithRole(role: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler(handleError);
  const permissions = new RoutePermissions();
  permissions.watch(app);
  app.addHook('onRequest', async (request) => {
    request.principal = { tenantId: 't', userId: 'u', role, keyId: 'k' };
    authorise(request);
  });
  app.get('/v1/declared', { config: { permission: 'policy:write' } }, async () => ({ ok: true }));
  app.get('/v1/undeclared', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('the permission hook', () => {
  it('lets a role through a route whose permission it holds', async () => {
    const app = await appWithRole('admin');
    expect((await app.inject({ method: 'GET', url: '/v1/declared' })).statusCode).toBe(200);
  });

  it('refuses a role without the permission with 403 naming it', async () => {
    const app = await appWithRole('member');
    const response = await app.inject({ method: 'GET', url: '/v1/declared' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'permission_denied', details: { permission: 'policy:write', role: 'member' } });
  });

  it('refuses an unknown stored role everything', async () => {
    const app = await appWithRole('superuser');
    expect((await app.inject({ method: 'GET', url: '/v1/declared' })).statusCode).toBe(403);
  });

  it('shuts a route that declares no permission to every role, platform included', async () => {
    const app = await appWithRole('platform');
    const response = await app.inject({ method: 'GET', url: '/v1/undeclared' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'permission_undeclared', details: { route: 'GET /v1/undeclared' } });
  });

  it('writes each route permission into the OpenAPI operations', async () => {
    const permissions = new RoutePermissions();
    const app = Fastify();
    permissions.watch(app);
    app.get('/v1/things/:id', { config: { permission: 'runs:read' } }, async () => ({}));
    app.get('/v1/other', async () => ({}));
    await app.ready();
    const document = permissions.annotate({ paths: { '/v1/things/{id}': { get: {} }, '/v1/other': { get: {} } } });
    expect(document.paths['/v1/things/{id}'].get).toEqual({ 'x-permission': 'runs:read' });
    expect(document.paths['/v1/other'].get).toEqual({ 'x-permission': 'undeclared' });
  });
});
