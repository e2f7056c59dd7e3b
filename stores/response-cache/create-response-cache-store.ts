// Picks the response cache for the mode Keel runs in: Redis when a URL is configured (every worker
// shares hits), the bounded in-process LRU otherwise.
import { InProcessResponseCacheStore } from './in-process-response-cache-store';
import { RedisResponseCacheStore, type RedisResponseCacheOptions } from './redis-response-cache-store';
import type { ResponseCacheStore } from './response-cache-store';

export function createResponseCacheStore(redisUrl: string | undefined, options: RedisResponseCacheOptions & { maxEntries?: number } = {}): ResponseCacheStore {
  const { maxEntries, ...redisOptions } = options;
  if (redisUrl) return new RedisResponseCacheStore(redisUrl, redisOptions);
  return new InProcessResponseCacheStore({ maxEntries });
}
