// Request rate limits on /v1 with @fastify/rate-limit: one window per API key and one per tenant,
// counted in Redis when REDIS_URL is set (so every API replica shares them), in process otherwise.
// Answers carry the standard RateLimit-* headers of the tighter limit; over it is a JSON 429.
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { RATE_LIMIT_WINDOW_MS, type RateLimitConfig } from '../core/rate-limit-config';
import { principalOf } from './auth';
import { HttpError } from './http-error';

export const RATE_LIMIT_NAMESPACE = 'keel:rate-limit:';

type Limiter = { name: 'perKey' | 'perTenant'; check: ReturnType<FastifyInstance['createRateLimit']> };

/** Registers the plugin in `scope` and returns the hook that counts a request once it is authenticated. */
export async function rateLimits(scope: FastifyInstance, limits: RateLimitConfig, redis?: Redis): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<void>> {
  // global: false — only the hook below counts, after auth, keyed by the principal rather than the IP.
  await scope.register(fastifyRateLimit, {
    global: false, enableDraftSpec: true, timeWindow: RATE_LIMIT_WINDOW_MS,
    ...(redis && { redis, nameSpace: RATE_LIMIT_NAMESPACE }),
    // Redis out of reach must not take the API down with it: requests pass uncounted.
    skipOnError: true,
  });
  const limiters: Limiter[] = [];
  if (limits.perKeyPerMinute > 0) {
    limiters.push({ name: 'perKey', check: scope.createRateLimit({ max: limits.perKeyPerMinute, keyGenerator: (request) => `key:${principalOf(request).keyId}` }) });
  }
  if (limits.perTenantPerMinute > 0) {
    limiters.push({ name: 'perTenant', check: scope.createRateLimit({ max: limits.perTenantPerMinute, keyGenerator: (request) => `tenant:${principalOf(request).tenantId}` }) });
  }
  return async (request, reply) => {
    let tightest: { name: Limiter['name']; max: number; remaining: number; ttlInSeconds: number; exceeded: boolean } | undefined;
    for (const limiter of limiters) {
      const result = await limiter.check(request);
      if (result.isAllowed) continue;
      const candidate = { name: limiter.name, max: result.max, remaining: result.remaining, ttlInSeconds: result.ttlInSeconds, exceeded: result.isExceeded };
      if (!tightest || (candidate.exceeded && !tightest.exceeded) || (candidate.exceeded === tightest.exceeded && candidate.remaining < tightest.remaining)) tightest = candidate;
    }
    if (!tightest) return;
    void reply.headers({ 'ratelimit-limit': String(tightest.max), 'ratelimit-remaining': String(tightest.remaining), 'ratelimit-reset': String(tightest.ttlInSeconds) });
    if (tightest.exceeded) {
      const retryAfterSeconds = Math.max(1, tightest.ttlInSeconds);
      const who = tightest.name === 'perKey' ? 'this API key' : "this tenant's keys together";
      throw new HttpError(429, 'rate_limited', `${who} may make ${tightest.max} requests a minute; try again in ${retryAfterSeconds} s`,
        { limit: tightest.name, max: tightest.max, windowSeconds: RATE_LIMIT_WINDOW_MS / 1000, retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
    }
  };
}
