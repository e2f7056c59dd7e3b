// MCP tools end to end: a run started by agent name uses a tool of a real stdio MCP server and one
// of a real streamable HTTP MCP server (its token from a named secret); a server that crashes
// mid-call and one that hangs give the model tool errors, and the run still finishes. A tool
// without a read-only hint goes to a human first, and runs once when approved.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { startMcpHttpServer, type TestMcpHttpServer } from '../support/mcp/http-server';

const TSX = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const STDIO_SERVER = path.join(__dirname, '..', 'support', 'mcp', 'stdio-server.ts');

describe('MCP tools in a run', () => {
  let harness: Harness;
  let http: TestMcpHttpServer;
  const callsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-mcp-')), 'calls.txt');

  beforeAll(async () => {
    process.env.KEEL_SECRET_TEST_MCP_TOKEN = 'secret-token-123';
    http = await startMcpHttpServer();
    harness = await startHarness({ database: 'postgres' });
  });
  afterAll(async () => {
    await harness?.close();
    await http?.close();
    delete process.env.KEEL_SECRET_TEST_MCP_TOKEN;
  });

  const servers = () => [
    { name: 'files', transport: { type: 'stdio', command: TSX, args: [STDIO_SERVER], env: { MCP_CALLS_FILE: callsFile, TEST_TOKEN: { secret: 'TEST_MCP_TOKEN' } } }, timeoutSeconds: 10 },
    { name: 'web', transport: { type: 'http', url: http.url, headers: { Authorization: { secret: 'TEST_MCP_TOKEN' } } }, timeoutSeconds: 2 },
  ];

  it('calls a stdio and an HTTP MCP tool, and turns a crash and a hang into tool errors', async () => {
    const scenario = `mcp-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'files__echo', arguments: { text: 'hello' } }, { name: 'web__lookup', arguments: { country: 'France' } }] } },
        { turn: 1, reply: { toolCalls: [{ name: 'files__crash', arguments: {} }, { name: 'web__hang', arguments: {} }] } },
        { turn: 2, reply: { text: 'Paris, and two tools failed.' } },
      ],
    });
    const agent = `mcp-agent-${ulid().toLowerCase().slice(-8)}`;
    const saved = await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name: agent, model: `local/${scenario}`, tools: ['read_file'], mcpServers: servers() } });
    expect(saved.status).toBe(201);

    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Echo and look up', agent } });
    expect(started.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, started.body.id, 90_000);
    expect(run.status).toBe('completed');
    expect(run.outcome).toEqual({ type: 'completed', answer: 'Paris, and two tools failed.' });

    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${started.body.id}/messages`, { key: harness.keys.a });
    const results = transcript.body.messages.map((entry: { message: unknown }) => entry.message)
      .filter((message: { type: string }) => message.type === 'tool-result') as Array<{ toolName: string; output: string; isError: boolean }>;
    expect(results.map((result) => [result.toolName, result.isError])).toEqual([
      ['files__echo', false], ['web__lookup', false], ['files__crash', true], ['web__hang', true],
    ]);
    // The secret reached the stdio server's environment and the HTTP server's header.
    expect(results[0]!.output).toBe('ECHO: HELLO (token secret-token-123)');
    expect(results[1]!.output).toBe('The capital of France is Paris.');
    expect(results[2]!.output).toMatch(/MCP tool files__crash failed/);
    expect(results[3]!.output).toMatch(/did not answer within 2 s/);
    expect(http.authorizations).toContain('secret-token-123');

    // The model saw the servers' tools, namespaced, with their JSON Schemas.
    const firstRequest = harness.modelServer.requests({ model: `${scenario}*` })[0] as { body: { tools?: Array<{ function: { name: string; parameters: { properties?: Record<string, unknown> } } }> } };
    const offered = firstRequest.body.tools?.map((tool) => tool.function.name) ?? [];
    expect(offered).toEqual(expect.arrayContaining(['read_file', 'files__echo', 'files__note', 'files__crash', 'web__lookup', 'web__hang']));
    expect(firstRequest.body.tools?.find((tool) => tool.function.name === 'files__echo')?.function.parameters.properties).toHaveProperty('text');
  }, 120_000);

  it('sends a tool without a read-only hint to a human, and runs it once when approved', async () => {
    const scenario = `mcp-review-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'files__note', arguments: { text: 'remember me' } }] } },
        { turn: 1, reply: { text: 'Noted.' } },
      ],
    });
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Take a note', model: `local/${scenario}`, mcpServers: servers() } });
    expect(started.status).toBe(202);
    const runId = started.body.id as string;
    let review: { id: string; context: { safety: { verdict: string } } } | undefined;
    for (let attempt = 0; attempt < 300 && !review; attempt++) {
      const listed = await api(harness.apiUrl, 'GET', `/v1/reviews?runId=${runId}`, { key: harness.keys.a });
      review = listed.body.reviews?.[0];
      if (!review) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(review?.context.safety.verdict).toBe('confirm');
    expect(() => readFileSync(callsFile, 'utf8')).toThrow();
    const decided = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/reviews/${review!.id}`, { key: harness.keys.a, body: { action: 'approve' } });
    expect(decided.status).toBeLessThan(300);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 90_000);
    expect(run.status).toBe('completed');
    expect(readFileSync(callsFile, 'utf8')).toBe('remember me\n');
  }, 120_000);

  it('names the field of a malformed MCP server declaration in a 400', async () => {
    const inline = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: 'hi', mcpServers: [{ name: 'web', transport: { type: 'http', url: 'http://x', headers: { Authorization: 'Bearer plain-secret' } } }] },
    });
    expect(inline.status).toBe(400);
    expect(inline.body.error.details.issues[0].field).toBe('body.mcpServers.0.transport.headers.Authorization');
    const badName = await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name: 'x1', mcpServers: [{ name: 'a__b', transport: { type: 'stdio', command: 'x' } }] } });
    expect(badName.status).toBe(400);
    expect(badName.body.error.details.issues[0].field).toBe('body.mcpServers.0.name');
  });
});
