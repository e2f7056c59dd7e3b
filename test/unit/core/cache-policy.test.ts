// The cache's pure parts: which model settings may be cached, canonical JSON (key order and
// undefined fields do not change a request's form), and the policy's defaults and limits.
import { canonicalJson, cachePolicySchema, DEFAULT_CACHE_POLICY, responseCacheability } from '../../../core/cache';
import { resolveRunPolicy } from '../../../core/run-policy';

describe('response cacheability', () => {
  it('caches only an explicit temperature of 0 without extended thinking', () => {
    expect(responseCacheability({ temperature: 0 })).toEqual({ cacheable: true });
    expect(responseCacheability({})).toMatchObject({ cacheable: false, reason: expect.stringContaining('unset') });
    expect(responseCacheability({ temperature: 0.7 })).toMatchObject({ cacheable: false, reason: expect.stringContaining('0.7') });
    expect(responseCacheability({ temperature: 0, thinkingBudgetTokens: 2048 })).toMatchObject({ cacheable: false, reason: expect.stringContaining('thinking') });
  });
});

describe('canonical JSON', () => {
  it('gives the same text whatever the key order, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('leaves out undefined fields but keeps nulls and array positions', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined, 1] })).toBe('{"b":null,"c":[null,1]}');
  });

  it('tells different values apart', () => {
    expect(canonicalJson({ messages: ['hi'] })).not.toBe(canonicalJson({ messages: ['hi '] }));
  });
});

describe('the cache policy', () => {
  it('is off by default, for tenants and runs alike', () => {
    expect(DEFAULT_CACHE_POLICY).toEqual({ responses: false, similarQueries: false, ttlSeconds: 3600, similarity: 0.95 });
    expect(resolveRunPolicy(undefined, undefined).cache).toEqual(DEFAULT_CACHE_POLICY);
  });

  it("lets a run turn on what the tenant left off, keeping the tenant's other settings", () => {
    const policy = resolveRunPolicy({ cache: { ttlSeconds: 60 } }, { cache: { responses: true } });
    expect(policy.cache).toEqual({ responses: true, similarQueries: false, ttlSeconds: 60, similarity: 0.95 });
  });

  it('refuses a threshold or TTL out of range and unknown fields, naming them', () => {
    const paths = (value: unknown) => (cachePolicySchema.safeParse(value).error?.issues ?? []).map((issue) => issue.path.join('.') || issue.message);
    expect(paths({ similarity: 0.2 })).toEqual(['similarity']);
    expect(paths({ ttlSeconds: 0 })).toEqual(['ttlSeconds']);
    expect(paths({ responses: 'yes' })).toEqual(['responses']);
    expect(cachePolicySchema.safeParse({ exact: true }).success).toBe(false);
  });
});
