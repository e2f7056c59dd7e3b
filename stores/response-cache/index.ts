// The response cache: model replies under their request's key, in Redis or in process.
export { createResponseCacheStore } from './create-response-cache-store';
export { DEFAULT_IN_PROCESS_CACHE_ENTRIES, InProcessResponseCacheStore } from './in-process-response-cache-store';
export { DEFAULT_RESPONSE_CACHE_KEY_PREFIX, RedisResponseCacheStore } from './redis-response-cache-store';
export { CachedResponseInvalid, cachedResponseSchema, parseCachedResponse, type CachedResponse, type ResponseCacheStore } from './response-cache-store';
