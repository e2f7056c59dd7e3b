// The one place /v1 routes are authorised: each route names the permission it needs in
// `config.permission`, this checks it against the role table and writes it into the OpenAPI document.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { roleCan, type Permission } from '../core/access';
import { principalOf } from './auth';
import { HttpError } from './http-error';

/** For routes outside API-key auth (their own token, or open): the hook never sees them. */
export const NO_API_KEY = 'none';

export type RoutePermission = Permission | typeof NO_API_KEY;

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
  }
}

/** The OpenAPI extension each operation carries its permission in; `undeclared` marks a route without one. */
export const PERMISSION_EXTENSION = 'x-permission';
export const UNDECLARED = 'undeclared';

/**
 * Checks the authenticated principal against the route's permission. A /v1 route that declares
 * none is refused to everyone (403 `permission_undeclared`): a route added without thinking about
 * who may call it stays shut until it says, and the permissions test lists it.
 */
export function authorise(request: FastifyRequest): void {
  const principal = principalOf(request);
  const permission = request.routeOptions.config.permission;
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  if (permission === undefined || permission === NO_API_KEY) {
    throw new HttpError(403, 'permission_undeclared', `${route} declares no permission, so no key may call it`, { route });
  }
  if (!roleCan(principal.role, permission)) {
    throw new HttpError(403, 'permission_denied', `${route} needs the "${permission}" permission, which role "${principal.role}" does not have`, { permission, role: principal.role });
  }
}

/** Remembers every route's permission as it is registered, for the OpenAPI document. */
export class RoutePermissions {
  private readonly byRoute = new Map<string, string>();

  watch(app: FastifyInstance): void {
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      for (const method of methods) this.byRoute.set(`${method.toLowerCase()} ${path}`, route.config?.permission ?? UNDECLARED);
    });
  }

  /** Adds `x-permission` to each operation of the document (swagger's transformObject). */
  annotate<T>(document: T): T {
    const paths = (document as { paths?: Record<string, Record<string, Record<string, unknown>>> }).paths ?? {};
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        operation[PERMISSION_EXTENSION] = this.byRoute.get(`${method} ${path}`) ?? UNDECLARED;
      }
    }
    return document;
  }
}
