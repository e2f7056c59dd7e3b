// The response cache in Redis, shared by every worker: one string per entry under
// `keel:response-cache:<tenant>:<hash>`, written with SET … EX so Redis expires it.
import Redis from 'ioredis';
import { parseCachedResponse, type CachedResponse, type ResponseCacheStore } from './response-cache-store';

export const DEFAULT_RESPONSE_CACHE_KEY_PREFIX = 'keel:response-cache:';

export type RedisResponseCacheOptions = {
  /** Prefix of every key; tests keep apart with their own. */
  keyPrefix?: string;
};

export class RedisResponseCacheStore implements ResponseCacheStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly keyPrefix: string;

  /** Given a URL the store opens (and closes) its own connection; given a client it only borrows it. */
  constructor(redis: Redis | string, options: RedisResponseCacheOptions = {}) {
    this.ownsConnection = typeof redis === 'string';
    // Lazy: a process that never caches (the API) never connects.
    this.redis = typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 2, lazyConnect: true }) : redis;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_RESPONSE_CACHE_KEY_PREFIX;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const text = await this.redis.get(this.keyPrefix + key);
    if (text === null) return undefined;
    return parseCachedResponse(key, JSON.parse(text));
  }

  async set(key: string, response: CachedResponse, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keyPrefix + key, JSON.stringify(response), 'EX', ttlSeconds);
  }

  /** Seconds `key` has left, -2 when absent (tests check the TTL Redis holds). */
  ttlOf(key: string): Promise<number> {
    return this.redis.ttl(this.keyPrefix + key);
  }

  async close(): Promise<void> {
    if (!this.ownsConnection) return;
    if (this.redis.status === 'wait') this.redis.disconnect();
    else await this.redis.quit().catch(() => undefined);
  }
}
