// Bearer API keys → principal (tenant, user, role). Resolved keys are cached briefly so auth is not a
// query per request; the cache never outlives a key's expiry and admin changes clear it.
import type { FastifyRequest } from 'fastify';
import { ApiKeysRepository, hashApiKey, type Principal } from '../stores/api-keys-repository';
import { HttpError } from './http-error';

/** Another API replica sees a revocation, suspension or role change within this long. */
export const AUTH_CACHE_TTL_MS = 30_000;
const AUTH_CACHE_MAX = 10_000;

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly keys: ApiKeysRepository) {}

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) throw new HttpError(401, 'unauthorized', 'missing or malformed Authorization header; expected "Bearer <api key>"');
    const key = match[1];
    const cacheKey = hashApiKey(key);
    const now = Date.now();
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > now) return cached.principal;
    const resolution = await this.keys.resolve(key);
    switch (resolution.type) {
      case 'unknown': throw new HttpError(401, 'unauthorized', 'invalid or revoked API key');
      case 'expired': throw new HttpError(401, 'key_expired', `API key ${resolution.keyId} has expired; create or rotate a key`, { keyId: resolution.keyId });
      case 'tenant_suspended': throw new HttpError(403, 'tenant_suspended', `tenant ${resolution.tenantId} is suspended`, { tenantId: resolution.tenantId });
      case 'user_disabled': throw new HttpError(403, 'user_disabled', `user ${resolution.userId} is disabled`, { userId: resolution.userId });
      case 'valid': break;
    }
    await this.keys.touch(resolution.principal.keyId);
    if (this.cache.size >= AUTH_CACHE_MAX) this.cache.clear();
    const keyExpiry = resolution.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
    this.cache.set(cacheKey, { principal: resolution.principal, expiresAt: Math.min(now + AUTH_CACHE_TTL_MS, keyExpiry) });
    return resolution.principal;
  }

  /** After an admin change (revoke, rotate, suspend, role, disable), this process stops trusting what it cached. */
  forgetAll(): void {
    this.cache.clear();
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'unauthorized', 'not authenticated');
  return request.principal;
}
