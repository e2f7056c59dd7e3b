// Bearer API keys → tenant principal. Resolved keys are cached briefly so auth is not a query per request.
import type { FastifyRequest } from 'fastify';
import type { Principal, TenantsRepository } from '../stores/tenants-repository';
import { HttpError } from './http-error';

export const AUTH_CACHE_TTL_MS = 30_000;
const AUTH_CACHE_MAX = 10_000;

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly tenants: TenantsRepository) {}

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) throw new HttpError(401, 'unauthorized', 'missing or malformed Authorization header; expected "Bearer <api key>"');
    const key = match[1];
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    const principal = await this.tenants.resolveApiKey(key);
    if (!principal) throw new HttpError(401, 'unauthorized', 'invalid or revoked API key');
    if (this.cache.size >= AUTH_CACHE_MAX) this.cache.clear();
    this.cache.set(key, { principal, expiresAt: Date.now() + AUTH_CACHE_TTL_MS });
    return principal;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'unauthorized', 'not authenticated');
  return request.principal;
}
