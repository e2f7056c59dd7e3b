// Request rate limits per API key and per tenant: standard RateLimit-* headers on every /v1 answer,
// a JSON 429 with Retry-After over a limit, counted in Redis and so shared by API replicas, and in
// process without Redis. Limits are set low here; Keel's defaults are far above any test's rate.
import { ulid } from 'ulid';
import { startApi, type RunningApi } from '../../api/start-api';
import { createLogger } from '../../runtime/logger';
import { TenantsRepository } from '../../stores/tenants-repository';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const LOW_LIMITS = { KEEL_RATE_LIMIT_PER_KEY: '5', KEEL_RATE_LIMIT_PER_TENANT: '8' };

async function newKey(harness: Harness, tenant: 'a' | 'b'): Promise<string> {
  return (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds[tenant], userId: `rate-${ulid()}`, name: 'rate' })).key;
}

describe.each([
  ['in Redis, shared by API replicas', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'],
  ['in process without Redis', undefined],
])('rate limits counted %s', (_label, redisUrl) => {
  let harness: Harness;
  let replica: RunningApi;

  beforeAll(async () => {
    harness = await startHarness({ worker: false, redisUrl, environment: LOW_LIMITS });
    replica = await startApi(harness.config, harness.services, createLogger('silent'));
  }, 60_000);
  afterAll(async () => {
    await replica?.stop();
    await harness?.close();
  });

  it('counts down RateLimit-Remaining per key and refuses the key over its limit with a JSON 429', async () => {
    const key = await newKey(harness, 'a');
    for (let index = 0; index < 5; index += 1) {
      const response = await api(harness.apiUrl, 'GET', '/v1/models', { key });
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('5');
      expect(response.headers.get('ratelimit-remaining')).toBe(String(4 - index));
      expect(Number(response.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(60);
    }
    const refused = await api(harness.apiUrl, 'GET', '/v1/models', { key });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', details: { limit: 'perKey', max: 5, windowSeconds: 60 } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    // Outside /v1 nothing is counted.
    expect((await api(harness.apiUrl, 'GET', '/healthz')).status).toBe(200);
  });

  it("refuses every key of a tenant over the tenant's limit, and no other tenant's", async () => {
    const first = await newKey(harness, 'b');
    const second = await newKey(harness, 'b');
    for (let index = 0; index < 5; index += 1) expect((await api(harness.apiUrl, 'GET', '/v1/models', { key: first })).status).toBe(200);
    for (let index = 0; index < 3; index += 1) expect((await api(harness.apiUrl, 'GET', '/v1/models', { key: second })).status).toBe(200);
    const refused = await api(harness.apiUrl, 'GET', '/v1/models', { key: second });
    expect(refused.status).toBe(429);
    expect(refused.body.error.details).toMatchObject({ limit: 'perTenant', max: 8 });
    expect((await api(harness.apiUrl, 'GET', '/v1/models', { key: await newKey(harness, 'a') })).status).toBe(200);
  });

  it(redisUrl ? 'shares the count between two API replicas' : 'counts each API replica apart', async () => {
    // Tenant a's window is partly used by the tests above; a fresh key stays under its tenant's remaining room.
    const tenants = new TenantsRepository(harness.services.database.db);
    const tenantId = `tr_${ulid().toLowerCase()}`;
    await tenants.ensureTenant(tenantId, 'rate');
    const key = (await tenants.createApiKey({ tenantId, userId: 'rate', name: 'rate' })).key;
    for (let index = 0; index < 3; index += 1) expect((await api(harness.apiUrl, 'GET', '/v1/models', { key })).status).toBe(200);
    for (let index = 0; index < 2; index += 1) expect((await api(replica.url, 'GET', '/v1/models', { key })).status).toBe(200);
    const sixth = await api(replica.url, 'GET', '/v1/models', { key });
    expect(sixth.status).toBe(redisUrl ? 429 : 200);
  });
});
