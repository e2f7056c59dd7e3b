// Bad input answers 4xx with a JSON body naming the problem; never a crash or a stack trace.
import { ulid } from 'ulid';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

describe('the HTTP API with bad input', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const post = (body: unknown, key = harness.keys.a) => api(harness.apiUrl, 'POST', '/v1/runs', { key, body });

  it('rejects a request without an API key with 401', async () => {
    const response = await api(harness.apiUrl, 'POST', '/v1/runs', { body: { message: 'hi' } });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });

  it('rejects an unknown API key with 401', async () => {
    const response = await post({ message: 'hi' }, 'keel_not-a-real-key');
    expect(response.status).toBe(401);
    expect(response.body.error.message).toContain('invalid');
  });

  it('names the missing field', async () => {
    const response = await post({});
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.message).toContain('body.message');
  });

  it('names a nested field of the wrong type', async () => {
    const response = await post({ message: 'hi', limits: { maxSteps: 'many' } });
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues[0].field).toBe('body.limits.maxSteps');
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const response = await post({ message: 'hi', temperature: 3 });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('temperature');
  });

  it('rejects an empty message', async () => {
    const response = await post({ message: '   ' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('body.message');
  });

  it('rejects an unknown model and lists the known ones', async () => {
    const response = await post({ message: 'hi', model: 'no-such-model' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('unknown_model');
    expect(response.body.error.details.known).toContain('keel-demo');
  });

  it('rejects an unknown tool', async () => {
    const response = await post({ message: 'hi', tools: ['read_file', 'teleport'] });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('"teleport"');
  });

  it('rejects complexity when no model pool is configured', async () => {
    const response = await post({ message: 'hi', complexity: 'simple' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'pool_not_configured', details: { field: 'complexity' } });
  });

  it('rejects both model and models', async () => {
    const response = await post({ message: 'hi', model: 'keel-demo', models: ['keel-demo'] });
    expect(response.status).toBe(400);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, rawBody: '{"message": ' });
    expect(response.status).toBe(400);
    expect(typeof response.body.error.message).toBe('string');
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('answers a body that is too large with 413', async () => {
    const response = await post({ message: 'x'.repeat(1_100_000) });
    expect(response.status).toBe(413);
    expect(response.body.error).toBeDefined();
  });

  it('answers a malformed run id with 400 and an unknown one with 404', async () => {
    const malformed = await api(harness.apiUrl, 'GET', '/v1/runs/../../etc', { key: harness.keys.a });
    expect([400, 404]).toContain(malformed.status);
    const bad = await api(harness.apiUrl, 'GET', '/v1/runs/nope', { key: harness.keys.a });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('params.id');
    const missing = await api(harness.apiUrl, 'GET', `/v1/runs/run_${ulid()}`, { key: harness.keys.a });
    expect(missing.status).toBe(404);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await api(harness.apiUrl, 'GET', '/v1/nothing-here', { key: harness.keys.a });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it('serves the OpenAPI document and health', async () => {
    const docs = await api(harness.apiUrl, 'GET', '/docs/json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/v1/runs', '/v1/runs/{id}', '/v1/runs/{id}/events']));
    const health = await api(harness.apiUrl, 'GET', '/healthz');
    expect(health.body).toEqual({ status: 'ok' });
  });
});
