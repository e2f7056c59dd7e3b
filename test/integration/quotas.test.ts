// Quotas at the API: a tenant's runs per day, a user's concurrent runs and stored notes, a tenant's
// tokens and cost per month. Over a quota is a 429 with Retry-After and a body naming the quota;
// GET /v1/usage shows each quota with what it counts now.
import { ulid } from 'ulid';
import { TenantsRepository } from '../../stores/tenants-repository';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const REVIEW_EVERYTHING = { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false };
type QuotaEntry = { quota: string; scope: string; limit: number | null; used: number; remaining: number | null };

describe('quotas per tenant and per user', () => {
  let harness: Harness;
  let platform: string;
  let quick: string;
  let waiting: string;
  const call = (key: string, method: string, route: string, body?: unknown, headers?: Record<string, string>) =>
    api(harness.apiUrl, method, route, { key, ...(body === undefined ? {} : { body }), ...(headers && { headers }) });
  const quotaOf = async (key: string, quota: string, scope: string): Promise<QuotaEntry> =>
    ((await call(key, 'GET', '/v1/usage')).body.quotas as QuotaEntry[]).find((entry) => entry.quota === quota && entry.scope === scope)!;

  beforeAll(async () => {
    harness = await startHarness();
    platform = (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'quota-operator', name: 'operator', role: 'platform' })).key;
    quick = `quota-quick-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name: quick, models: `${quick}*`, rules: [{ reply: { text: 'Quick answer.' } }] });
    waiting = `quota-wait-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name: waiting, models: `${waiting}*`, rules: [{ turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] } }, { reply: { text: 'done' } }] });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it("refuses a run over the tenant's runs-per-day quota with 429 and Retry-After until the next UTC day", async () => {
    const tenant = harness.tenantIds.a;
    const startedToday = (await quotaOf(harness.keys.a, 'runsPerDay', 'tenant')).used;
    const limit = startedToday + 2;
    const set = await call(platform, 'PUT', `/v1/tenants/${tenant}/quotas`, { runsPerDay: limit });
    expect(set.body).toMatchObject({ tenantId: tenant, userId: null, limits: { runsPerDay: limit, concurrentRuns: null } });
    try {
      const idempotencyKey = `quota-${ulid()}`;
      const first = await call(harness.keys.a, 'POST', '/v1/runs', { message: 'one', model: `local/${quick}` }, { 'idempotency-key': idempotencyKey });
      expect(first.status).toBe(202);
      expect((await call(harness.keys.a, 'POST', '/v1/runs', { message: 'two', model: `local/${quick}` })).status).toBe(202);
      const third = await call(harness.keys.a, 'POST', '/v1/runs', { message: 'three', model: `local/${quick}` });
      expect(third.status).toBe(429);
      const now = new Date();
      const untilMidnight = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
      const retryAfter = Number(third.headers.get('retry-after'));
      expect(Math.abs(retryAfter - untilMidnight)).toBeLessThan(60);
      expect(third.body.error).toMatchObject({ code: 'quota_exceeded', details: { quota: 'runsPerDay', scope: 'tenant', limit, used: limit, retryAfterSeconds: retryAfter } });
      expect(third.body.error.message).toContain('runsPerDay');
      // A replayed Idempotency-Key is the same run, not a new one: answered, not refused.
      const replay = await call(harness.keys.a, 'POST', '/v1/runs', { message: 'one', model: `local/${quick}` }, { 'idempotency-key': idempotencyKey });
      expect([replay.status, replay.body.id]).toEqual([200, first.body.id]);
      expect(await quotaOf(harness.keys.a, 'runsPerDay', 'tenant')).toMatchObject({ limit, used: limit, remaining: 0 });
      // Another tenant is not limited by A's quota.
      expect((await call(harness.keys.b, 'POST', '/v1/runs', { message: 'b', model: `local/${quick}` })).status).toBe(202);
    } finally {
      expect((await call(platform, 'PUT', `/v1/tenants/${tenant}/quotas`, {})).status).toBe(200);
    }
    expect((await call(harness.keys.a, 'POST', '/v1/runs', { message: 'four', model: `local/${quick}` })).status).toBe(202);
  });

  it("refuses a user's second concurrent run and second note, leaving the tenant's other users alone", async () => {
    const tenant = harness.tenantIds.a;
    expect((await call(platform, 'POST', `/v1/tenants/${tenant}/users`, { id: 'quota-user', name: 'Quota user', role: 'member' })).status).toBe(201);
    const key = (await call(platform, 'POST', `/v1/tenants/${tenant}/keys`, { userId: 'quota-user', name: 'quota' })).body.secret as string;
    const set = await call(platform, 'PUT', `/v1/tenants/${tenant}/users/quota-user/quotas`, { concurrentRuns: 1, notesStored: 1 });
    expect(set.body).toMatchObject({ userId: 'quota-user', limits: { concurrentRuns: 1, notesStored: 1 } });

    const held = await call(key, 'POST', '/v1/runs', { message: 'wait for review', model: `local/${waiting}`, policy: REVIEW_EVERYTHING });
    expect(held.status).toBe(202);
    await waitForReview(harness.apiUrl, key, held.body.id);
    const second = await call(key, 'POST', '/v1/runs', { message: 'another', model: `local/${quick}` });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('30');
    expect(second.body.error).toMatchObject({ code: 'quota_exceeded', details: { quota: 'concurrentRuns', scope: 'user', limit: 1, used: 1 } });
    expect(await quotaOf(key, 'concurrentRuns', 'user')).toMatchObject({ limit: 1, used: 1, remaining: 0 });
    expect((await call(harness.keys.a, 'POST', '/v1/runs', { message: 'someone else', model: `local/${quick}` })).status).toBe(202);
    expect((await call(key, 'POST', `/v1/runs/${held.body.id}/cancel`, {})).status).toBe(202);
    await waitForRun(harness.apiUrl, key, held.body.id);
    expect((await call(key, 'POST', '/v1/runs', { message: 'now there is room', model: `local/${quick}` })).status).toBe(202);

    const note = await call(key, 'POST', '/v1/notes', { content: 'the first note of the quota user' });
    expect(note.status).toBe(201);
    const refused = await call(key, 'POST', '/v1/notes', { content: 'a second, different note about deployment' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.details).toMatchObject({ quota: 'notesStored', scope: 'user', limit: 1, used: 1 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Superseding replaces a note: it stores no extra one.
    expect((await call(key, 'POST', '/v1/notes', { content: 'the first note, corrected', supersedes: note.body.note.id })).status).toBe(201);
  }, 60_000);

  it("refuses runs once the tenant's tokens this month reach its quota, and any run at a cost quota of 0", async () => {
    const tenant = harness.tenantIds.b;
    const done = await call(harness.keys.b, 'POST', '/v1/runs', { message: 'spend some tokens', model: `local/${quick}` });
    await waitForRun(harness.apiUrl, harness.keys.b, done.body.id);
    const tokens = (await quotaOf(harness.keys.b, 'tokensPerMonth', 'tenant')).used;
    expect(tokens).toBeGreaterThan(0);
    try {
      await call(platform, 'PUT', `/v1/tenants/${tenant}/quotas`, { tokensPerMonth: tokens });
      const refused = await call(harness.keys.b, 'POST', '/v1/runs', { message: 'more', model: `local/${quick}` });
      expect(refused.status).toBe(429);
      expect(refused.body.error.details).toMatchObject({ quota: 'tokensPerMonth', scope: 'tenant', limit: tokens, used: tokens });
      const now = new Date();
      const untilNextMonth = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - now.getTime()) / 1000;
      expect(Math.abs(Number(refused.headers.get('retry-after')) - untilNextMonth)).toBeLessThan(60);
      await call(platform, 'PUT', `/v1/tenants/${tenant}/quotas`, { costUsdPerMonth: 0 });
      expect((await call(harness.keys.b, 'POST', '/v1/runs', { message: 'more', model: `local/${quick}` })).body.error.details).toMatchObject({ quota: 'costUsdPerMonth', limit: 0 });
    } finally {
      await call(platform, 'PUT', `/v1/tenants/${tenant}/quotas`, {});
    }
  }, 60_000);

  it('lets only the platform operator set a tenant quota, and a tenant admin set its users\' quotas', async () => {
    const admin = (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'quota-admin', name: 'admin', role: 'admin' })).key;
    expect((await call(admin, 'PUT', `/v1/tenants/${harness.tenantIds.a}/quotas`, { runsPerDay: 1_000_000 })).body.error).toMatchObject({ code: 'permission_denied', details: { permission: 'tenants:admin' } });
    expect((await call(admin, 'PUT', `/v1/tenants/${harness.tenantIds.a}/users/quota-user/quotas`, {})).status).toBe(200);
    expect((await call(admin, 'PUT', `/v1/tenants/${harness.tenantIds.a}/users/nobody/quotas`, {})).status).toBe(404);
    expect((await call(admin, 'PUT', `/v1/tenants/${harness.tenantIds.a}/users/quota-user/quotas`, { runsPerDay: -1 })).status).toBe(400);
    const audit = await call(admin, 'GET', '/v1/audit?action=user.quotas_replaced');
    expect(audit.body.entries.length).toBeGreaterThanOrEqual(2);
  });
});
