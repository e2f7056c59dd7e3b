// stdio MCP servers inside bubblewrap: a server declared with `sandbox` writes only where it is
// allowed (a declared writable folder shows its file on the host; anywhere else on the host is out
// of its reach), and its tools work as usual. Skipped (with a message) without bwrap.
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, waitForRun } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';
import { createLogger } from '../../../runtime/logger';
import { describeWith } from '../../support/prerequisites';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSX_CLI = realpathSync(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'));
const STDIO_SERVER = path.join(ROOT, 'test', 'support', 'mcp', 'stdio-server.ts');
const NODE = realpathSync(process.execPath);

describeWith('bubblewrap')('stdio MCP servers in the bubblewrap sandbox', () => {
  let harness: Harness;
  // The worker's warnings (an MCP server it could not list, and why), shown when the test fails.
  const warnings: string[] = [];

  beforeAll(async () => {
    harness = await startHarness({ database: 'postgres', logger: createLogger('warn', {}, { write: (line: string) => { warnings.push(line); } }) });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('writes only to the folders a sandboxed server declares', async () => {
    const writable = mkdtempSync(path.join(os.tmpdir(), 'keel-mcp-rw-'));
    const outside = mkdtempSync(path.join(os.tmpdir(), 'keel-mcp-host-'));
    const server = (name: string, callsFile: string) => ({
      name,
      transport: {
        type: 'stdio', command: NODE, args: [TSX_CLI, STDIO_SERVER], env: { MCP_CALLS_FILE: callsFile },
        sandbox: { readOnlyPaths: [ROOT, path.dirname(TSX_CLI), path.dirname(NODE)], writablePaths: [writable] },
      },
      // A tsx server started inside bwrap compiles on start: seconds on a loaded CI machine.
      timeoutSeconds: 60,
      risk: 'safe',
    });
    const scenario = `mcp-box-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'boxed__note', arguments: { text: 'inside' } }, { name: 'jailed__note', arguments: { text: 'escape' } }, { name: 'boxed__echo', arguments: { text: 'hi' } }] } },
        { reply: { text: 'Done.' } },
      ],
    });
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: 'Take notes', model: `local/${scenario}`, tools: ['read_file'], mcpServers: [server('boxed', path.join(writable, 'calls.txt')), server('jailed', path.join(outside, 'calls.txt'))] },
    });
    expect(started.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, started.body.id, 90_000);
    expect(run.status).toBe('completed');

    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${started.body.id}/messages`, { key: harness.keys.a });
    const results = transcript.body.messages.map((entry: { message: unknown }) => entry.message)
      .filter((message: { type: string }) => message.type === 'tool-result') as Array<{ toolName: string; output: string; isError: boolean }>;
    // A boxed call's error text is kept in the comparison, and the worker's MCP warnings are printed:
    // a failure then says why (from a clone under /tmp, the sandbox's own /tmp hid the server's program).
    if (results.some((result) => result.toolName.startsWith('boxed') && result.isError)) console.log(warnings.filter((line) => line.includes('MCP')).join('\n'));
    expect(results.map((result) => [result.toolName, result.isError, result.toolName.startsWith('boxed') && result.isError ? result.output : ''])).toEqual([['boxed__note', false, ''], ['jailed__note', true, ''], ['boxed__echo', false, '']]);
    expect(results[2]!.output).toBe('ECHO: HI (token none)');
    expect(readFileSync(path.join(writable, 'calls.txt'), 'utf8')).toBe('inside\n');
    // The host folder the second server was pointed at stays untouched: the sandbox has its own /tmp.
    expect(existsSync(path.join(outside, 'calls.txt'))).toBe(false);
  }, 120_000);
});
