// Bad input answers 4xx with a JSON body naming the problem; never a crash or a stack trace.
import { once } from 'node:events';
import { connect } from 'node:net';
import { ulid } from 'ulid';
import { BODY_LIMIT_BYTES } from '../../api/create-server';
import { api, readSse, waitForRun } from '../support/api-client';
import { SSE_FINISHED_GRACE_MS } from '../../api/routes/events';
import { rawRequest } from '../fuzz/raw-http';
import { startHarness, type Harness } from '../support/keel-harness';

describe('the HTTP API with bad input', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('answers a large body sent with an unknown key with a JSON 401 only once the client has sent it all', async () => {
    const url = new URL(harness.apiUrl);
    const body = JSON.stringify({ message: 'x'.repeat(900_000) });
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => { received += chunk.toString('utf8'); });
    socket.write(`POST /v1/runs HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer keel_not_a_key\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body.slice(0, 200_000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toBe('');
    socket.write(body.slice(200_000));
    const deadline = Date.now() + 10_000;
    while (!received.includes('"error"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 401/);
    expect(received).toContain('"code":"unauthorized"');
  });

  it('answers a body over the limit with a JSON 413 only once the client has sent it all, so a slow sender reads the answer instead of a reset', async () => {
    const url = new URL(harness.apiUrl);
    const body = JSON.stringify({ message: 'x'.repeat(BODY_LIMIT_BYTES + 1000) });
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => { received += chunk.toString('utf8'); });
    socket.write(`POST /v1/runs HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${harness.keys.a}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body.slice(0, 200_000));
    // Half a second with most of the body unsent: no answer yet, and the connection stays open.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toBe('');
    expect(socket.destroyed).toBe(false);
    socket.write(body.slice(200_000));
    const deadline = Date.now() + 10_000;
    while (!received.includes('"error"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(received).toContain('"code":"ctp_body_too_large"');
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

  // Found by the fuzzer (npm run test:fuzz): each of these was a 500 or an error that was not JSON.
  it.each([
    ['a NUL in the message', { message: 'a\u0000b' }, 'body.message'],
    ['a NUL in a nested policy value', { message: 'hi', policy: { review: { note: 'x\u0000' } } }, 'body.policy.review.note'],
    ['a lone surrogate in the instructions', { message: 'hi', instructions: 'half \ud800 a pair' }, 'body.instructions'],
  ])('answers %s with a 400 naming the field, not a database error', async (_label, body, field) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_request', details: { field } });
    expect(response.body.error.message).toContain(field);
  });

  it('answers a NUL in a query parameter with a 400 naming it', async () => {
    const response = await api(harness.apiUrl, 'GET', '/v1/notes?userId=%00', { key: harness.keys.a });
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe('querystring.userId');
  });

  it('answers a malformed URL and an over-long path id with the JSON error shape', async () => {
    const badUrl = await api(harness.apiUrl, 'GET', '/v1/runs/%zz', { key: harness.keys.a });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error).toMatchObject({ code: 'bad_url', message: expect.any(String) });
    const longId = await api(harness.apiUrl, 'GET', `/v1/runs/${'x'.repeat(5000)}`, { key: harness.keys.a });
    expect(longId.status).toBe(414);
    expect(longId.body.error).toMatchObject({ code: 'max_param_length', message: expect.any(String) });
  });

  it('answers a request the HTTP parser refuses (two content lengths) with the JSON error shape', async () => {
    const response = await rawRequest(harness.apiUrl, `POST /v1/runs HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${harness.keys.a}\r\ncontent-type: application/json\r\ncontent-length: 16\r\ncontent-length: 3`, '{"message":"hi"}');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('malformed HTTP request') } });
  });

  it('answers instants PostgreSQL cannot hold and cursors past its integers with a 400 naming the field', async () => {
    const yearZero = await api(harness.apiUrl, 'GET', '/v1/usage?from=0000-01-01T00:00:00Z', { key: harness.keys.a });
    expect(yearZero.status).toBe(400);
    expect(yearZero.body.error.message).toContain('querystring.from');
    const expires = await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: 'x', expiresAt: '0000-06-01T00:00:00Z' } });
    expect(expires.status).toBe(400);
    expect(expires.body.error.message).toContain('body.expiresAt');
    const created = await post({ message: 'hi' });
    const cursor = await api(harness.apiUrl, 'GET', `/v1/runs/${created.body.id}/messages?after=3350023148824933`, { key: harness.keys.a });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.message).toContain('querystring.after');
  });

  it('stores a note whose importance is below what a PostgreSQL real holds', async () => {
    const response = await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: 'tiny importance', importance: 6.1e-81 } });
    expect(response.status).toBe(201);
    expect(response.body.note.importance).toBeLessThan(1e-30);
  });

  it('takes only digits as Last-Event-ID, and ends the stream of a finished run resumed past its last event', async () => {
    const name = `quick-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ reply: { text: 'Quick.' } }] });
    const created = await post({ message: 'hi', model: `local/${name}` });
    await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    for (const lastEventId of ['0x10', '1e3', '-1', '1.5', '9007199254740993']) {
      const response = await api(harness.apiUrl, 'GET', `/v1/runs/${created.body.id}/events`, { key: harness.keys.a, headers: { 'last-event-id': lastEventId } });
      expect({ lastEventId, status: response.status, field: response.body.error?.details?.field }).toEqual({ lastEventId, status: 400, field: 'headers.last-event-id' });
    }
    const started = Date.now();
    // Ended within the grace after the run finished (its terminal event may still be on its way), not kept open.
    const events = await readSse(harness.apiUrl, harness.keys.a, created.body.id, { lastEventId: '100000', timeoutMs: 20_000 });
    expect(events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(SSE_FINISHED_GRACE_MS + 3_000);
  });
});
