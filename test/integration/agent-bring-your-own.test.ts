// The "done" in one run: started by agent name, it loads a skill, follows it with a tool of
// a real stdio MCP server and one of a real streamable HTTP MCP server, and answers with JSON that
// validates against the agent's output schema (GET /v1/runs/:id shows it parsed).
import path from 'node:path';
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { startMcpHttpServer, type TestMcpHttpServer } from '../support/mcp/http-server';

const TSX = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const STDIO_SERVER = path.join(__dirname, '..', 'support', 'mcp', 'stdio-server.ts');

describe('an agent that brings its own tools, skills and output schema', () => {
  let harness: Harness;
  let http: TestMcpHttpServer;

  beforeAll(async () => {
    process.env.KEEL_SECRET_BYO_MCP_TOKEN = 'byo-token';
    http = await startMcpHttpServer();
    harness = await startHarness({ database: 'postgres' });
  });
  afterAll(async () => {
    await harness?.close();
    await http?.close();
    delete process.env.KEEL_SECRET_BYO_MCP_TOKEN;
  });

  it('loads a skill, uses a stdio and an HTTP MCP tool, and returns a schema-valid answer', async () => {
    const key = harness.keys.a;
    const skill = await api(harness.apiUrl, 'PUT', '/v1/skills/capital-report', {
      key, body: { description: 'How to report a capital city', body: 'Look the capital up with web__lookup, echo its name with files__echo, then answer {"country", "capital", "echo"}.' },
    });
    expect(skill.status).toBe(201);
    const scenario = `byo-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        { turn: 0, systemIncludes: 'capital-report: How to report a capital city', reply: { toolCalls: [{ name: 'get_skill', arguments: { name: 'capital-report' } }] } },
        { turn: 1, lastMessageIncludes: 'Look the capital up with web__lookup', reply: { toolCalls: [{ name: 'web__lookup', arguments: { country: 'France' } }, { name: 'files__echo', arguments: { text: 'paris' } }] } },
        { turn: 2, lastMessageIncludes: 'ECHO: PARIS', reply: { text: '{"country": "France", "capital": "Paris", "echo": "ECHO: PARIS"}' } },
        { reply: { text: 'lost the thread' } },
      ],
    });
    const agent = `byo-${ulid().toLowerCase().slice(-8)}`;
    const saved = await api(harness.apiUrl, 'POST', '/v1/agents', {
      key,
      body: {
        name: agent, model: `local/${scenario}`, tools: ['read_file'], skills: ['capital-report'],
        mcpServers: [
          { name: 'files', transport: { type: 'stdio', command: TSX, args: [STDIO_SERVER] } },
          { name: 'web', transport: { type: 'http', url: http.url, headers: { Authorization: { secret: 'BYO_MCP_TOKEN' } } } },
        ],
        output: { schema: { type: 'object', properties: { country: { type: 'string' }, capital: { type: 'string' }, echo: { type: 'string' } }, required: ['country', 'capital', 'echo'], additionalProperties: false } },
      },
    });
    expect(saved.status).toBe(201);
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key, body: { message: 'Report the capital of France', agent } });
    expect(started.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, key, started.body.id, 90_000);
    expect(run.status).toBe('completed');
    expect(run.agent).toEqual({ name: agent, version: 1 });
    expect(run.output).toEqual({ country: 'France', capital: 'Paris', echo: 'ECHO: PARIS' });
    expect(http.authorizations).toContain('byo-token');
  }, 120_000);
});
