// The cache and dedupe policy, the canonical form of a request and which settings may be cached.
export * from './cache-policy';
export { canonicalJson } from './canonical-json';
export { responseCacheability, type Cacheability } from './response-cacheable';
