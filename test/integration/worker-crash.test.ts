// SIGKILL the worker process in the middle of a tool call; a new worker finishes the run and the
// tool's side effect happened exactly once.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { spawnWorker } from '../support/worker-process';

describe('a worker killed with SIGKILL in the middle of a tool call', () => {
  let harness: Harness;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    harness = await startHarness({ worker: false });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await harness?.close();
  });

  it('is replaced by a new worker that completes the run with the side effect applied exactly once', async () => {
    const name = `crash-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name,
      models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'sleep 3; echo once >> counter.txt; echo appended' } }] } },
        { turn: 1, reply: { text: 'The counter was appended.' } },
      ],
    });
    const first = spawnWorker(harness);
    children.push(first);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Append to the counter (${name})`, model: `local/${name}`, limits: { heartbeatTimeoutSeconds: 2 } },
    });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;

    await readSse(harness.apiUrl, harness.keys.a, runId, { stopAfter: (event) => event.event === 'tool-call.started', timeoutMs: 30_000 });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    children.push(spawnWorker(harness));
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 60_000);
    expect(run.status).toBe('completed');

    const counter = readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'counter.txt'), 'utf8');
    expect(counter).toBe('once\n');
    // The model was asked once per turn: the crash repeated no completed model call.
    expect(harness.modelServer.requests({ model: name }).length).toBe(2);
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const toolResult = transcript.body.messages.find((entry: { message: { type: string } }) => entry.message.type === 'tool-result');
    expect(toolResult.message.output).toContain('appended');
  }, 120_000);
});
