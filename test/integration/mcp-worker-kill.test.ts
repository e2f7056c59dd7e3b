// A worker SIGKILLed in the middle of an MCP tool call (a real stdio MCP server, a tool with a side
// effect): the run is finished by a new worker, and the tool was not called a second time — the
// retried step finds the call started and unfinished, and tells the model it was interrupted.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { killProcess, spawnWorker } from '../support/worker-process';

const TSX = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const STDIO_SERVER = path.join(__dirname, '..', 'support', 'mcp', 'stdio-server.ts');

describe('a worker killed with SIGKILL in the middle of an MCP tool call', () => {
  let harness: Harness;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    harness = await startHarness({ worker: false });
  });
  afterAll(async () => {
    for (const child of children) await killProcess(child);
    await harness?.close();
  });

  it('is finished by a new worker without calling the tool twice', async () => {
    const callsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-mcp-kill-')), 'calls.txt');
    const name = `mcp-kill-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name,
      models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'files__slow_note', arguments: { text: 'only once' } }] } },
        { turn: 1, lastMessageIncludes: 'was interrupted', reply: { text: 'The note may not have been written; I did not repeat it.' } },
        { turn: 1, reply: { text: 'Noted.' } },
      ],
    });
    const first = spawnWorker(harness);
    children.push(first);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: {
        message: 'Write the note', model: `local/${name}`, tools: ['read_file'], limits: { heartbeatTimeoutSeconds: 2 },
        // Declared safe to run without a human, but it is still not read-only: it must not run twice.
        mcpServers: [{ name: 'files', transport: { type: 'stdio', command: TSX, args: [STDIO_SERVER], env: { MCP_CALLS_FILE: callsFile } }, tools: { slow_note: { risk: 'safe' } } }],
      },
    });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;

    // The server has the call (its side effect is written) and is still working on it.
    for (let waited = 0; !existsSync(callsFile) && waited < 600; waited += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readFileSync(callsFile, 'utf8')).toBe('only once\n');
    await killProcess(first);

    children.push(spawnWorker(harness));
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 90_000);
    expect(run.outcome).toEqual({ type: 'completed', answer: 'The note may not have been written; I did not repeat it.' });
    expect(readFileSync(callsFile, 'utf8')).toBe('only once\n');
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const result = transcript.body.messages.map((entry: { message: unknown }) => entry.message).find((message: { type: string }) => message.type === 'tool-result');
    expect(result).toMatchObject({ toolName: 'files__slow_note', isError: true, output: expect.stringMatching(/^files__slow_note was interrupted/) });
  }, 150_000);
});
