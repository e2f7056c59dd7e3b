// HTTP tools end to end against a local HTTP server: a run started by agent name calls a GET tool
// (URL template, query, a header from a named secret) and a POST tool (JSON body); a call whose
// arguments point it at a host off the allow-list is refused without a request, invalid arguments
// come back as tool errors, and a POST without a declared risk waits for a human and runs once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

type Received = { method: string; url: string; authorization?: string; body: string };

describe('HTTP tools in a run', () => {
  let harness: Harness;
  let server: http.Server;
  let base = '';
  let host = '';
  const received: Received[] = [];

  beforeAll(async () => {
    process.env.KEEL_SECRET_TEST_HTTP_TOKEN = 'Bearer http-secret-42';
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      request.on('end', () => {
        received.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body });
        if (request.url?.startsWith('/weather/')) {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ city: decodeURIComponent(request.url.split('/')[2]!.split('?')[0]!), temperature: 21 }));
        } else if (request.url === '/tickets' && request.method === 'POST') {
          response.statusCode = 201;
          response.end(JSON.stringify({ id: 'T-1', ...JSON.parse(body) as object }));
        } else {
          response.statusCode = 404;
          response.end('no such page');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    host = `127.0.0.1:${port}`;
    base = `http://${host}`;
    harness = await startHarness({ database: 'postgres' });
  });
  afterAll(async () => {
    await harness?.close();
    await new Promise((resolve) => server?.close(resolve));
    delete process.env.KEEL_SECRET_TEST_HTTP_TOKEN;
  });

  const tools = (ticketRisk?: 'safe') => [
    {
      name: 'weather', description: 'Current weather of a city', url: `${base}/weather/{city}`, allowedHosts: ['127.0.0.1'],
      parameters: { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string', enum: ['metric', 'imperial'] } }, required: ['city'], additionalProperties: false },
      headers: { Authorization: { secret: 'TEST_HTTP_TOKEN' } },
    },
    {
      name: 'fetch_page', description: 'Fetches /page of a host', url: 'http://{site}/page', allowedHosts: [host],
      parameters: { type: 'object', properties: { site: { type: 'string' } }, required: ['site'] },
    },
    {
      name: 'create_ticket', description: 'Opens a ticket', method: 'POST', url: `${base}/tickets`, allowedHosts: [host], ...(ticketRisk && { risk: ticketRisk }),
      parameters: { type: 'object', properties: { title: { type: 'string' }, priority: { type: 'integer' } }, required: ['title'] },
    },
  ];

  it('calls GET and POST tools, refuses a host off the allow-list and reports invalid arguments', async () => {
    const scenario = `http-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        {
          turn: 0,
          reply: {
            toolCalls: [
              { name: 'weather', arguments: { city: 'São Paulo', units: 'metric' } },
              { name: 'fetch_page', arguments: { site: 'evil.example.com' } },
              { name: 'weather', arguments: { city: 5 } },
            ],
          },
        },
        { turn: 1, reply: { toolCalls: [{ name: 'create_ticket', arguments: { title: 'Umbrellas', priority: 2 } }] } },
        { turn: 2, reply: { text: 'It is 21 degrees; ticket T-1 is open.' } },
      ],
    });
    const agent = `http-${ulid().toLowerCase().slice(-8)}`;
    const saved = await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name: agent, model: `local/${scenario}`, tools: ['read_file'], httpTools: tools('safe') } });
    expect(saved.status).toBe(201);
    const before = received.length;
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Weather, then a ticket', agent } });
    expect(started.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, started.body.id, 90_000);
    expect(run.outcome).toEqual({ type: 'completed', answer: 'It is 21 degrees; ticket T-1 is open.' });

    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${started.body.id}/messages`, { key: harness.keys.a });
    const results = transcript.body.messages.map((entry: { message: unknown }) => entry.message)
      .filter((message: { type: string }) => message.type === 'tool-result') as Array<{ toolName: string; output: string; isError: boolean }>;
    expect(results.map((result) => [result.toolName, result.isError])).toEqual([['weather', false], ['fetch_page', true], ['weather', true], ['create_ticket', false]]);
    expect(results[0]!.output).toBe('HTTP 200\n{"city":"São Paulo","temperature":21}');
    expect(results[1]!.output).toMatch(/refused: evil\.example\.com is not on the tool's allowed hosts/);
    expect(results[2]!.output).toMatch(/weather arguments invalid: city: must be string/);
    expect(results[3]!.output).toBe('HTTP 201\n{"id":"T-1","title":"Umbrellas","priority":2}');

    // Exactly two requests reached the server: the refused and the invalid call made none.
    expect(received.slice(before)).toEqual([
      { method: 'GET', url: '/weather/S%C3%A3o%20Paulo?units=metric', authorization: 'Bearer http-secret-42', body: '' },
      { method: 'POST', url: '/tickets', authorization: undefined, body: '{"title":"Umbrellas","priority":2}' },
    ]);
    const [first] = harness.modelServer.requests({ model: `${scenario}*` }) as Array<{ body: { tools: Array<{ function: { name: string; parameters: unknown } }> } }>;
    expect(first!.body.tools.find((tool) => tool.function.name === 'weather')?.function.parameters).toEqual(tools()[0]!.parameters);
  }, 120_000);

  it('sends a POST tool without a declared risk to a human, and calls it once when approved', async () => {
    const scenario = `http-review-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'create_ticket', arguments: { title: 'Reviewed' } }] } },
        { turn: 1, reply: { text: 'Opened.' } },
      ],
    });
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Open a ticket', model: `local/${scenario}`, tools: ['read_file'], httpTools: tools() } });
    const runId = started.body.id as string;
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    expect(review.context.safety.verdict).toBe('confirm');
    expect(received.filter((request) => request.body.includes('Reviewed'))).toHaveLength(0);
    const decided = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/reviews/${review.id}`, { key: harness.keys.a, body: { action: 'approve' } });
    expect(decided.status).toBeLessThan(300);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 90_000);
    expect(run.status).toBe('completed');
    expect(received.filter((request) => request.body.includes('Reviewed'))).toHaveLength(1);
  }, 120_000);

  it('names the field of a malformed HTTP tool in a 400', async () => {
    const [weather] = tools();
    const cases: Array<[unknown, string]> = [
      [{ ...weather, allowedHosts: ['example.com'] }, 'body.httpTools.0.allowedHosts'],
      [{ ...weather, headers: { Authorization: 'Bearer plain' } }, 'body.httpTools.0.headers.Authorization'],
      [{ ...weather, url: `${base}/weather/{town}` }, 'body.httpTools.0.url'],
      [{ ...weather, parameters: { type: 'objekt' } }, 'body.httpTools.0.parameters'],
    ];
    for (const [tool, field] of cases) {
      const response = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'hi', httpTools: [tool] } });
      expect(response.status).toBe(400);
      expect(response.body.error.details.issues.map((issue: { field: string }) => issue.field)).toContain(field);
    }
    const taken = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'hi', httpTools: [{ ...weather, name: 'read_file' }] } });
    expect(taken.status).toBe(400);
    expect(taken.body.error).toMatchObject({ code: 'tool_name_taken', details: { field: 'httpTools.0.name' } });
  });
});
