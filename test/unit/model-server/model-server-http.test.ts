// The local model server over plain HTTP: error bodies per wire format, the admin API, the
// request log, latency and `times` counted per conversation.
import { CONVERSATION_HEADER, startModelServer, type ModelServer, type RecordedRequest } from '../../../model-server';

let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer({
    requestLogCapacity: 50,
    scenarios: [
      { name: 'http-only-turn-0', models: ['turn0-*'], rules: [{ turn: 0, reply: { text: 'First and last.' } }] },
      { name: 'http-times', models: ['times-*'], rules: [{ times: 1, fault: { status: 500 } }, { reply: { text: 'ok' } }] },
    ],
  });
});

afterAll(async () => {
  await server.close();
});

/** The fields these tests read from bodies of either wire format (or the admin API). */
type WireBody = {
  error: { message: string; type?: string; code?: string | null; details?: unknown };
  choices: { message: { content: string | null } }[];
  name?: string;
};

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: WireBody }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as WireBody };
}

const chat = (model: string, content: string, extra: object = {}) => ({ model, messages: [{ role: 'user', content }], ...extra });
const anthropicChat = (model: string, content: string) => ({ model, max_tokens: 100, messages: [{ role: 'user', content }] });

describe('the local model server over HTTP', () => {
  it('answers an unscripted model with a 404 in each wire format, listing the scripted models', async () => {
    const openai = await post('/v1/chat/completions', chat('ghost', 'hi'));
    expect(openai.status).toBe(404);
    expect(openai.body.error).toMatchObject({ type: 'not_found_error', code: 'model_not_found' });
    expect(openai.body.error.message).toContain('turn0-*, times-*');
    const anthropic = await post('/v1/messages', anthropicChat('ghost', 'hi'));
    expect(anthropic).toMatchObject({ status: 404, body: { type: 'error', error: { type: 'not_found_error' } } });
  });

  it('answers a turn no rule covers with a 400 naming the scenario and the turn', async () => {
    const response = await post('/v1/chat/completions', {
      model: 'turn0-a',
      messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'again' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('scenario "http-only-turn-0" has no rule for turn 1 of model "turn0-a"');
  });

  it('rejects a body that is not JSON, or not the wire format, with a 400', async () => {
    expect((await post('/v1/chat/completions', '{not json')).status).toBe(400);
    const invalid = await post('/v1/messages', { model: 'turn0-a' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('messages');
  });

  it('counts times per conversation, keyed by the opening prompt or the explicit conversation header', async () => {
    expect((await post('/v1/chat/completions', chat('times-a', 'conversation one'))).status).toBe(500);
    expect((await post('/v1/chat/completions', chat('times-a', 'conversation one'))).status).toBe(200);
    expect((await post('/v1/chat/completions', chat('times-b', 'conversation two'))).status).toBe(500);
    const keyed = { [CONVERSATION_HEADER]: 'explicit-1' };
    expect((await post('/v1/chat/completions', chat('times-a', 'conversation one'), keyed)).status).toBe(500);
    expect((await post('/v1/chat/completions', chat('times-a', 'anything else'), keyed)).status).toBe(200);
  });

  it('registers, lists and removes scenarios over the admin API', async () => {
    const scenario = { name: 'admin-added', models: ['admin-*'], rules: [{ reply: { text: 'Added at runtime.' } }] };
    expect(await post('/_admin/scenarios', scenario)).toEqual({ status: 201, body: { name: 'admin-added' } });
    const reply = await post('/v1/chat/completions', chat('admin-1', 'hi'));
    expect(reply.body.choices[0]?.message.content).toBe('Added at runtime.');
    const listed = await (await fetch(`${server.url}/_admin/scenarios`)).json() as { scenarios: { name: string }[] };
    expect(listed.scenarios.map((entry) => entry.name)).toContain('admin-added');

    expect((await fetch(`${server.url}/_admin/scenarios/admin-added`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${server.url}/_admin/scenarios/admin-added`, { method: 'DELETE' })).status).toBe(404);
    expect((await post('/v1/chat/completions', chat('admin-1', 'hi'))).status).toBe(404);
  });

  it('refuses an invalid scenario with the issues in error details', async () => {
    const response = await post('/_admin/scenarios', { name: 'broken', models: ['x'], rules: [{ turn: 0 }] });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_scenario' });
    expect(response.body.error.details).toEqual([expect.stringContaining('a rule needs a reply, a fault, or both')]);
  });

  it('lists, filters and clears recorded requests over the admin API', async () => {
    await post('/v1/messages', anthropicChat('turn0-log', 'log me'), { 'x-api-key': 'secret-key-1234' });
    const response = await fetch(`${server.url}/_admin/requests?model=turn0-log`);
    const { requests } = await response.json() as { requests: RecordedRequest[] };
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ path: '/v1/messages', wireFormat: 'anthropic', model: 'turn0-log', turn: 0, outcome: 'reply' });
    expect(requests[0]!.headers['x-api-key']).toBeUndefined();
    expect((await fetch(`${server.url}/_admin/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(server.requests()).toEqual([]);
  });

  it('reports health and lists scripted models', async () => {
    const health = await (await fetch(`${server.url}/_admin/health`)).json();
    expect(health).toMatchObject({ status: 'ok', scenarios: expect.any(Number) });
    const models = await (await fetch(`${server.url}/v1/models`)).json() as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(expect.arrayContaining(['turn0-*', 'times-*']));
  });

  it('keeps only the newest requests beyond the log capacity', async () => {
    for (let index = 0; index < 60; index += 1) await post('/v1/chat/completions', chat('turn0-many', `request ${index}`));
    const recorded = server.requests({ model: 'turn0-many' });
    expect(recorded).toHaveLength(50);
    expect(recorded.at(-1)!.body).toMatchObject({ messages: [{ content: 'request 59' }] });
    expect(server.requests({ model: 'turn0-many', limit: 2 })).toHaveLength(2);
  });
});

describe('a model server with a latency option', () => {
  it('waits that long before every reply', async () => {
    const slow = await startModelServer({ latencyMs: 150, scenarios: [{ name: 'slow', models: ['*'], rules: [{ reply: { text: 'eventually' } }] }] });
    try {
      const started = Date.now();
      const response = await fetch(`${slow.openaiBaseURL}/chat/completions`, { method: 'POST', body: JSON.stringify(chat('any', 'hi')) });
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await slow.close();
    }
  });
});
