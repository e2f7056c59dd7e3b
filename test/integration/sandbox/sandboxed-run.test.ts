// Runs over HTTP with the real worker: bash is sandboxed (no network unless the run's policy allows
// it) and a command's unnamed workspace changes are rolled back under the `rollback` policy, with events.
// Skipped (with a message) without bwrap.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';
import { describeWith } from '../../support/prerequisites';

// Skipped without a working bubblewrap; the global setup names it at the start and end of the run.
const describeWithBubblewrap = describeWith('bubblewrap');

type ToolResultEntry = { message: { type: string; output: string; isError: boolean } };

describeWithBubblewrap('a run whose bash commands are sandboxed and checked for side effects', () => {
  let harness: Harness;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    harness = await startHarness();
    server = http.createServer((_request, response) => response.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server?.close();
    await harness?.close();
  });

  async function run(policy: Record<string, unknown> | undefined, calls: Array<{ name: string; arguments: Record<string, unknown> }>) {
    const name = `sandboxed-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [...calls.map((call, turn) => ({ turn, reply: { toolCalls: [call] } })), { reply: { text: 'Done.' } }],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Work (${name})`, model: `local/${name}`, ...(policy && { policy }) } });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    const finished = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(finished.status).toBe('completed');
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const results = (transcript.body.messages as ToolResultEntry[]).filter((entry) => entry.message.type === 'tool-result').map((entry) => entry.message);
    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    return { runId, results, events, workspace: path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId) };
  }

  it('cannot reach PostgreSQL or a host server, and rolls back what a script deleted and created without being named', async () => {
    // Network use would go to a human (medium risk); here it is allowed so the sandbox is what stops it.
    const { results, events, workspace } = await run({ sideEffects: 'rollback', safety: { riskVerdicts: { medium: 'allow' } } }, [
      { name: 'write_file', arguments: { path: 'notes.txt', content: 'precious\n' } },
      { name: 'write_file', arguments: { path: 'cleanup.sh', content: 'rm notes.txt\necho junk > junk.tmp\n' } },
      // curl runs without the network; the sandbox stops it.
      { name: 'bash', arguments: { command: `curl -sS --max-time 5 http://127.0.0.1:5432/; echo "postgres: $?"; curl -sS --max-time 5 http://127.0.0.1:${port}/; echo "host: $?"` } },
      { name: 'bash', arguments: { command: 'echo kept > named.txt; bash cleanup.sh' } },
    ]);
    expect(results[2]?.output).toMatch(/postgres: 7\n/u); // curl's "could not connect"
    expect(results[2]?.output).toMatch(/host: 7\n/u);
    expect(results[2]?.output).not.toContain('hello from the host');
    expect(results[3]?.output).toMatch(/Keel rolled back workspace changes this bash call made/u);
    expect(readFileSync(path.join(workspace, 'notes.txt'), 'utf8')).toBe('precious\n');
    expect(existsSync(path.join(workspace, 'junk.tmp'))).toBe(false);
    expect(readFileSync(path.join(workspace, 'named.txt'), 'utf8')).toBe('kept\n');
    const detected = events.filter((event) => event.event === 'side-effects.detected');
    expect(detected).toHaveLength(1);
    expect(detected[0]?.data.data).toMatchObject({ toolName: 'bash', action: 'rollback', created: ['junk.tmp'], modified: [], deleted: ['notes.txt'] });
    const rolledBack = events.filter((event) => event.event === 'side-effects.rolled-back');
    expect(rolledBack[0]?.data.data).toMatchObject({ restored: ['notes.txt'], removed: ['junk.tmp'], failed: [] });
  });

  it('reaches the host server when the run policy allows the network', async () => {
    const { results } = await run({ safety: { allowNetwork: true } }, [
      { name: 'bash', arguments: { command: `curl -sS --max-time 5 http://127.0.0.1:${port}/` } },
    ]);
    expect(results[0]).toMatchObject({ isError: false, output: 'hello from the host\n\nExit code: 0' });
  });
});
