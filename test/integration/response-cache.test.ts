// The response cache and similar-query dedupe end to end, on real Temporal, PostgreSQL or PGlite,
// Redis or the in-process twin, and the local model server: an identical run at temperature 0 is
// answered from the cache (`cache.hit`, the model called once), a sampled one never is, another
// tenant never sees the first's entries, entries expire after their TTL, and a similar request
// gets the earlier run's answer with a `cache.hit` naming that run; GET /v1/usage counts them.
import Redis from 'ioredis';
import { ulid } from 'ulid';
import { RunEventSchema } from '../../core/events';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness, type ModelServer } from '../support/keel-harness';
import { TenantsRepository } from '../../stores/tenants-repository';
import { recordHistoryIfAsked } from '../support/record-history';
import { TEST_REDIS_URL, hasPrerequisite } from '../support/prerequisites';

// The Redis block needs PostgreSQL and Redis (each named in the run's summary when missing); the
// in-process block below runs anywhere.
const REDIS_URL = TEST_REDIS_URL;
const describeWithRedis = hasPrerequisite('postgres') && hasPrerequisite('redis') ? describe : describe.skip;

type StoredEvent = { type: string; data: Record<string, any> };

/** A family at temperature 0 (deterministic: cacheable) and one at 0.7 (sampled: never cached). */
const cacheModels = (modelServer: ModelServer) => [
  { id: 'cold/*', provider: 'openai', model: '*', baseURL: modelServer.openaiBaseURL, temperature: 0 },
  { id: 'warm/*', provider: 'openai', model: '*', baseURL: modelServer.openaiBaseURL, temperature: 0.7 },
];

function addScenario(harness: Harness, prefix: string, rules: unknown[]): string {
  const name = `${prefix}-${ulid().toLowerCase()}`;
  harness.modelServer.addScenario({ name, models: `${name}*`, rules } as never);
  return name;
}

/** A file written, then an answer: two model calls per run, so both steps are cached. */
const twoSteps = [
  { turn: 0, reply: { text: 'Writing it.', toolCalls: [{ name: 'write_file', arguments: { path: 'hello.txt', content: 'hello\n' } }] } },
  { reply: { text: 'The file says hello.' } },
];

async function completedRun(harness: Harness, key: string, body: Record<string, unknown>): Promise<{ id: string; run: any; events: StoredEvent[] }> {
  const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key, body });
  expect(started.status).toBe(202);
  const id = started.body.id as string;
  const run = await waitForRun(harness.apiUrl, key, id, 90_000);
  expect(run.status).toBe('completed');
  const listed = await api(harness.apiUrl, 'GET', `/v1/runs/${id}/events/list?limit=500`, { key });
  expect(listed.status).toBe(200);
  for (const event of listed.body.events) expect(RunEventSchema.safeParse(event).success).toBe(true);
  return { id, run, events: listed.body.events as StoredEvent[] };
}

const hitsOf = (events: StoredEvent[]) => events.filter((event) => event.type === 'cache.hit').map((event) => event.data);
const typesOf = (events: StoredEvent[]) => events.map((event) => event.type);

async function cacheUsage(harness: Harness, key: string, from: string): Promise<any> {
  const usage = await api(harness.apiUrl, 'GET', `/v1/usage?from=${encodeURIComponent(from)}`, { key });
  expect(usage.status).toBe(200);
  return usage.body.cache;
}

describeWithRedis('response cache and similar-query dedupe, with Redis', () => {
  let harness: Harness;
  let redis: Redis;

  beforeAll(async () => {
    harness = await startHarness({ database: 'postgres', redisUrl: REDIS_URL, models: cacheModels });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await redis?.quit();
    await harness?.close();
  });

  it('answers a second identical run at temperature 0 from the cache: the model is called once per step and the second run names the first', async () => {
    const since = new Date().toISOString();
    const name = addScenario(harness, 'cache-same', twoSteps);
    const body = { message: 'Write hello into hello.txt and tell me what it says.', model: `cold/${name}`, tools: ['write_file'], policy: { cache: { responses: true } } };
    const first = await completedRun(harness, harness.keys.a, body);
    expect(hitsOf(first.events)).toEqual([]);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);

    const second = await completedRun(harness, harness.keys.a, body);
    // No new request reached the model server: both steps came from the cache.
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);
    expect(hitsOf(second.events)).toEqual([
      expect.objectContaining({ step: 1, kind: 'response', model: `cold/${name}`, sourceRunId: first.id, sourceStep: 1 }),
      expect.objectContaining({ step: 2, kind: 'response', model: `cold/${name}`, sourceRunId: first.id, sourceStep: 2 }),
    ]);
    expect(hitsOf(second.events)[0]!.savedUsage.inputTokens).toBeGreaterThan(0);
    // A hit is not a model call: no model-call events, but the tool still ran and the answer is the same.
    expect(typesOf(second.events)).not.toContain('model-call.started');
    expect(typesOf(second.events)).not.toContain('model-call.finished');
    expect(typesOf(second.events)).toContain('tool-call.finished');
    expect(second.run.outcome.answer).toBe('The file says hello.');
    expect(second.run.usage).toMatchObject({ inputTokens: 0, outputTokens: 0 });
    expect(second.run.costUsd).toBe(0);

    // The entries live in Redis under the tenant, with the policy's TTL (an hour by default).
    const keys = await redis.keys(`keel:response-cache:${harness.tenantIds.a}:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(3500);
      expect(ttl).toBeLessThanOrEqual(3600);
    }

    const cache = await cacheUsage(harness, harness.keys.a, since);
    expect(cache).toMatchObject({ hits: 2, misses: 2, hitRatio: 0.5 });
    expect(cache.byKind).toEqual([{ kind: 'response', hits: 2, misses: 2, hitRatio: 0.5 }]);
    const metrics = await harness.worker!.metrics.registry.getSingleMetricAsString('keel_cache_lookups_total');
    expect(metrics).toMatch(/keel_cache_lookups_total\{kind="response",outcome="hit",process="worker"\} [1-9]/);
    // The workflow is the one it always was: a hit is inside the step activity.
    await recordHistoryIfAsked(harness.api.client, second.id, 'response-cache-hit', 'response-cache');
  }, 180_000);

  it('calls the model every time at temperature 0.7, with the cache on', async () => {
    const since = new Date().toISOString();
    const name = addScenario(harness, 'cache-warm', [{ reply: { text: 'A sampled answer.' } }]);
    const body = { message: 'Say something.', model: `warm/${name}`, tools: ['read_file'], policy: { cache: { responses: true } } };
    const first = await completedRun(harness, harness.keys.b, body);
    const second = await completedRun(harness, harness.keys.b, body);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);
    expect(hitsOf(first.events)).toEqual([]);
    expect(hitsOf(second.events)).toEqual([]);
    expect(typesOf(second.events)).toContain('model-call.finished');
    // Not a lookup at all: sampled settings never ask the cache.
    expect(await cacheUsage(harness, harness.keys.b, since)).toMatchObject({ hits: 0, misses: 0, hitRatio: null });
  }, 180_000);

  it("never answers another tenant's identical request from the first tenant's cache", async () => {
    const name = addScenario(harness, 'cache-tenants', [{ reply: { text: 'Forty-two.' } }]);
    const body = { message: 'What is the answer?', model: `cold/${name}`, tools: ['read_file'], policy: { cache: { responses: true } } };
    const inA = await completedRun(harness, harness.keys.a, body);
    const inB = await completedRun(harness, harness.keys.b, body);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);
    expect(hitsOf(inA.events)).toEqual([]);
    expect(hitsOf(inB.events)).toEqual([]);
    // B's own second run is served, from B's entry.
    const againInB = await completedRun(harness, harness.keys.b, body);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);
    expect(hitsOf(againInB.events)).toEqual([expect.objectContaining({ kind: 'response', sourceRunId: inB.id })]);
  }, 180_000);

  it('calls the model again once an entry has outlived its TTL', async () => {
    const name = addScenario(harness, 'cache-ttl', [{ reply: { text: 'Fresh.' } }]);
    const body = { message: 'Anything new?', model: `cold/${name}`, tools: ['read_file'], policy: { cache: { responses: true, ttlSeconds: 1 } } };
    await completedRun(harness, harness.keys.a, body);
    const keysBefore = await redis.keys(`keel:response-cache:${harness.tenantIds.a}:*`);
    const ttls = await Promise.all(keysBefore.map((key) => redis.ttl(key)));
    expect(ttls.filter((ttl) => ttl === 1)).toHaveLength(1);
    // Redis expires it: wait for that, not for a fixed time.
    const deadline = Date.now() + 10_000;
    while ((await Promise.all(keysBefore.map((key) => redis.exists(key)))).some((exists, index) => exists === 1 && ttls[index] === 1)) {
      if (Date.now() > deadline) throw new Error('the entry did not expire');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = await completedRun(harness, harness.keys.a, body);
    expect(hitsOf(after.events)).toEqual([]);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);
  }, 180_000);

  it("answers a similar request with the earlier run's answer and a cache.hit naming it, in its own tenant only", async () => {
    const since = new Date().toISOString();
    const name = addScenario(harness, 'similar', [{ reply: { text: 'Paris is the capital of France.' } }]);
    // The test's embedder is the local lexical one: a reworded request scores about 0.9, another city 0.79.
    const settings = { model: `cold/${name}`, tools: ['read_file'], policy: { cache: { similarQueries: true, similarity: 0.85 } } };
    const first = await completedRun(harness, harness.keys.a, { ...settings, message: 'What is the capital of France?' });
    expect(hitsOf(first.events)).toEqual([]);

    const similar = await completedRun(harness, harness.keys.a, { ...settings, message: 'What is the capital city of France?' });
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(1);
    const [hit] = hitsOf(similar.events);
    expect(hit).toMatchObject({ step: 1, kind: 'similar_query', sourceRunId: first.id });
    expect(hit!.similarity).toBeGreaterThanOrEqual(0.85);
    expect(hit!.similarity).toBeLessThan(1);
    expect(similar.run.outcome.answer).toBe('Paris is the capital of France.');
    expect(typesOf(similar.events)).toContain('answer.final');
    await recordHistoryIfAsked(harness.api.client, similar.id, 'similar-query-hit', 'response-cache');

    // Below the threshold: the model answers.
    const other = await completedRun(harness, harness.keys.a, { ...settings, message: 'What is the capital of Spain?' });
    expect(hitsOf(other.events)).toEqual([]);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);
    // Another setup (other tools) is not answered from this one's runs.
    const otherTools = await completedRun(harness, harness.keys.a, { ...settings, tools: ['write_file'], message: 'What is the capital of France?' });
    expect(hitsOf(otherTools.events)).toEqual([]);
    // Another tenant, the very same request: never answered from tenant A's runs.
    const inB = await completedRun(harness, harness.keys.b, { ...settings, message: 'What is the capital of France?' });
    expect(hitsOf(inB.events)).toEqual([]);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(4);

    const cache = await cacheUsage(harness, harness.keys.a, since);
    expect(cache.byKind).toEqual([{ kind: 'similar_query', hits: 1, misses: 3, hitRatio: 0.25 }]);
  }, 240_000);

  it('never reuses the answer of a run that took more user messages after its first', async () => {
    const name = addScenario(harness, 'similar-chat', [
      // The first reply takes a while, so the follow-up arrives while step 1 works.
      { turn: 0, reply: { text: 'Paris.', delayMs: 3000 } },
      { reply: { text: 'Paris, and its population is about two million.' } },
    ]);
    const body = { message: 'What is the capital of France?', model: `cold/${name}`, tools: ['read_file'], policy: { cache: { similarQueries: true } } };
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body });
    expect(started.status).toBe(202);
    const followUp = await api(harness.apiUrl, 'POST', `/v1/runs/${started.body.id}/messages`, { key: harness.keys.a, body: { text: 'And its population?' } });
    expect(followUp.status).toBe(202);
    const chat = await waitForRun(harness.apiUrl, harness.keys.a, started.body.id, 90_000);
    expect(chat.outcome.answer).toBe('Paris, and its population is about two million.');

    const again = await completedRun(harness, harness.keys.a, body);
    expect(hitsOf(again.events)).toEqual([]);
    expect(again.run.outcome.answer).toBe('Paris.');
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(3);
  }, 180_000);
});

describe('response cache without Redis', () => {
  let harness: Harness;
  /** Replacing the tenant's policy takes `policy:write`, an admin's. */
  let adminKey: string;

  beforeAll(async () => {
    harness = await startHarness({ database: 'pglite', models: cacheModels });
    adminKey = (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'user-a-admin', name: 'cache', role: 'admin' })).key;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("answers a second identical run from the in-process cache when the tenant's policy turns it on", async () => {
    const policy = await api(harness.apiUrl, 'PUT', '/v1/policy', { key: adminKey, body: { cache: { responses: true } } });
    expect(policy.status).toBe(200);
    expect(policy.body.policy.cache).toEqual({ responses: true, similarQueries: false, ttlSeconds: 3600, similarity: 0.95 });
    const name = addScenario(harness, 'cache-local', [{ reply: { text: 'Served once.' } }]);
    const body = { message: 'Answer once, please.', model: `cold/${name}`, tools: ['read_file'] };
    const first = await completedRun(harness, harness.keys.a, body);
    const second = await completedRun(harness, harness.keys.a, body);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(1);
    expect(hitsOf(second.events)).toEqual([expect.objectContaining({ kind: 'response', sourceRunId: first.id })]);
    expect(second.run.outcome.answer).toBe('Served once.');
    // Tenant B kept the default policy: its identical request goes to the model.
    await completedRun(harness, harness.keys.b, body);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);
  }, 180_000);

  it('refuses a cache policy that is out of range with a 400 naming the field', async () => {
    const refused = await api(harness.apiUrl, 'PUT', '/v1/policy', { key: adminKey, body: { cache: { similarity: 0.2 } } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error)).toContain('similarity');
    const run = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'hi', policy: { cache: { ttlSeconds: 0 } } } });
    expect(run.status).toBe(400);
    expect(JSON.stringify(run.body.error)).toContain('ttlSeconds');
  }, 60_000);
});
