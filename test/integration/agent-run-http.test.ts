// End to end over HTTP: a run with two tool calls on the scripted model, followed over SSE, on
// PostgreSQL and on embedded PGlite.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

function twoToolScenario(name: string) {
  return {
    name,
    models: `${name}*`,
    rules: [
      { turn: 0, reply: { text: 'Writing the file.', toolCalls: [{ name: 'write_file', arguments: { path: 'notes/hello.txt', content: 'hello from keel\n' } }] } },
      { turn: 1, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'wc -c notes/hello.txt' } }] } },
      { turn: 2, reply: { text: 'Done: hello.txt has 16 bytes.' } },
    ],
  };
}

describe.each(['postgres', 'pglite'] as const)('an agent run over HTTP on %s', (database) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ database });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('completes a run with two tool calls and streams every step in order over SSE', async () => {
    const name = `e2e-${database}-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario(twoToolScenario(name));
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Write a greeting (${name})`, model: `local/${name}` },
    });
    expect(created.status).toBe(202);
    expect(created.body.id).toMatch(/^run_/);
    const runId = created.body.id as string;

    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    const stepEvents = events.filter((event) => event.event !== 'delta').map((event) => event.event);
    expect(stepEvents).toEqual([
      'run.started',
      'message.received', // system prompt
      'message.received', // first user message
      'model-call.started',
      'model-call.finished',
      'tool-call.started',
      'tool-call.finished',
      'model-call.started',
      'model-call.finished',
      'tool-call.started',
      'tool-call.finished',
      'model-call.started',
      'model-call.finished',
      'answer.final',
      'run.completed',
    ]);
    const ids = events.filter((event) => event.id).map((event) => Number(event.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(events.some((event) => event.event === 'delta' && event.data.kind === 'text')).toBe(true);
    const bashFinished = events.filter((event) => event.event === 'tool-call.finished')[1];
    expect(bashFinished?.data.data.outputPreview).toContain('16 notes/hello.txt');

    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    expect(run.step).toBe(3);
    expect(run.outcome).toEqual({ type: 'completed', answer: 'Done: hello.txt has 16 bytes.' });
    expect(run.usage.inputTokens).toBeGreaterThan(0);

    const written = path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'notes', 'hello.txt');
    expect(readFileSync(written, 'utf8')).toBe('hello from keel\n');

    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    expect(transcript.status).toBe(200);
    expect(transcript.body.messages.map((entry: { message: { type: string } }) => entry.message.type)).toEqual([
      'system', 'user', 'assistant', 'tool-result', 'assistant', 'tool-result', 'assistant',
    ]);

    // Resuming after an event id replays only what came later.
    const resumeFrom = events.find((event) => event.event === 'answer.final')?.id;
    const resumed = await readSse(harness.apiUrl, harness.keys.a, runId, { lastEventId: resumeFrom });
    expect(resumed.map((event) => event.event)).toEqual(['run.completed']);
    await recordHistoryIfAsked(harness.api.client, runId, `two-tool-calls-${database}`);
  });
});
