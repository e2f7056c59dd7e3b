// The model pool under failure, end to end over HTTP: the workflow walks the planned candidates,
// the shared circuit opens after three failures and skips the model until a half-open trial
// succeeds, retry-after is honoured, a broken stream resets and moves on, and a run with every
// model down fails naming each one.
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { circuitOf, requestsFor, resetCircuits, scriptPool, testPool, waitForCircuit } from '../support/model-pool-fixture';
import { recordHistoryIfAsked } from '../support/record-history';

describe('failing over across the model pool', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ pool: (server) => testPool(server) });
  });
  beforeEach(async () => {
    await resetCircuits(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function startComplexRun(label: string): Promise<string> {
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Refactor and redesign the billing module, then migrate it (${label} ${ulid()})`, complexity: 'complex', tools: ['read_file'] },
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ model: null, models: [], complexity: 'complex' });
    return created.body.id as string;
  }

  const eventsOf = async (runId: string) => readSse(harness.apiUrl, harness.keys.a, runId);

  it('serves the run from the backup when the primary answers 503, and the events name both', async () => {
    scriptPool(harness, [{ model: 'pool-primary', fault: { status: 503, message: 'primary overloaded' } }, { reply: { text: 'Backup answer.' } }]);
    const before = requestsFor(harness, 'primary').length;
    const runId = await startComplexRun('503');
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    expect(run.outcome.answer).toBe('Backup answer.');

    const events = await eventsOf(runId);
    const order = events.filter((event) => event.event !== 'delta').map((event) => event.event);
    expect(order.slice(0, 5)).toEqual(['run.started', 'message.received', 'message.received', 'model.selected', 'model-call.started']);
    expect(events[0]?.data.data).toMatchObject({ models: ['primary', 'backup', 'cheap'], complexity: 'complex' });
    const selected = events.find((event) => event.event === 'model.selected')?.data.data;
    expect(selected.candidates.map((candidate: { modelId: string }) => candidate.modelId)).toEqual(['primary', 'backup', 'cheap']);
    expect(selected.decision).toMatch(/^complex → primary: primary/);
    expect(selected.complexityReason).toBe('complex (requested by the run)');
    const failed = events.filter((event) => event.event === 'model-call.failed').map((event) => event.data.data);
    expect(failed.map((data) => data.model)).toEqual(['primary', 'primary', 'primary']);
    expect(failed[2].error).toContain('circuit opened after 3 consecutive failures');
    const finished = events.find((event) => event.event === 'model-call.finished')?.data.data;
    expect(finished).toMatchObject({ model: 'backup', costUsd: expect.any(Number) });
    // The third failure opened the circuit, so there was no fourth attempt on the primary.
    expect(requestsFor(harness, 'primary').length - before).toBe(3);
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    expect(transcript.body.messages.at(-1).message.model).toBe('backup');
    await recordHistoryIfAsked(harness.api.client, runId, 'pool-failover-503');
  });

  it('opens the circuit after three failures, skips that model on the next run, and closes it after a successful half-open trial', async () => {
    scriptPool(harness, [{ model: 'pool-primary', fault: { status: 503 } }, { reply: { text: 'Backup answer.' } }]);
    const first = await startComplexRun('circuit-1');
    expect((await waitForRun(harness.apiUrl, harness.keys.a, first)).status).toBe('completed');
    const opened = await circuitOf(harness, 'primary');
    expect(opened).toMatchObject({ state: 'open', consecutiveFailures: 3, lastError: expect.stringContaining('503') });
    const primaryCalls = requestsFor(harness, 'primary').length;

    const second = await startComplexRun('circuit-2');
    const secondRun = await waitForRun(harness.apiUrl, harness.keys.a, second);
    expect(secondRun.outcome.answer).toBe('Backup answer.');
    expect(requestsFor(harness, 'primary').length).toBe(primaryCalls);
    const skipped = (await eventsOf(second)).find((event) => event.event === 'model.selected')?.data.data.skipped;
    expect(skipped).toEqual([{ modelId: 'primary', tier: 'primary', reason: 'circuit open' }]);

    scriptPool(harness, [{ reply: { text: 'Primary is back.' } }]);
    await waitForCircuit(harness, 'primary', (circuit) => circuit.state === 'half-open');
    const third = await startComplexRun('circuit-3');
    const thirdRun = await waitForRun(harness.apiUrl, harness.keys.a, third);
    expect(thirdRun.outcome.answer).toBe('Primary is back.');
    const trial = (await eventsOf(third)).find((event) => event.event === 'model.selected')?.data.data.candidates[0];
    expect(trial).toMatchObject({ modelId: 'primary', reason: expect.stringContaining('half-open trial') });
    expect(await circuitOf(harness, 'primary')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('waits as long as retry-after says when the model answers 429', async () => {
    scriptPool(harness, [
      { model: 'pool-primary', turn: 0, times: 1, fault: { status: 429, message: 'slow down', retryAfterSeconds: 2 } },
      { reply: { text: 'Answered after waiting.' } },
    ]);
    const before = requestsFor(harness, 'primary').length;
    const runId = await startComplexRun('429');
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.outcome.answer).toBe('Answered after waiting.');
    const attempts = requestsFor(harness, 'primary').slice(before);
    expect(attempts).toHaveLength(2);
    const gapMs = Date.parse(attempts[1]!.receivedAt) - Date.parse(attempts[0]!.receivedAt);
    expect(gapMs).toBeGreaterThanOrEqual(1_950);
    expect(gapMs).toBeLessThan(5_000);
    const failed = (await eventsOf(runId)).find((event) => event.event === 'model-call.failed')?.data.data;
    expect(failed).toMatchObject({ model: 'primary', failureType: 'ModelRateLimited', retryable: true });
  });

  it("shows the deltas, a stream.reset and then the backup's full answer when the primary's stream is cut after 5 chunks", async () => {
    scriptPool(harness, [
      { model: 'pool-primary', fault: { cutAfterChunks: 5 }, reply: { text: 'The primary starts a long answer that it will never get to finish.', delayMs: 500 } },
      { reply: { text: 'The backup gives the whole answer.' } },
    ]);
    const runId = await startComplexRun('cut');
    const events = await eventsOf(runId);
    const reset = events.findIndex((event) => event.event === 'stream.reset');
    expect(reset).toBeGreaterThan(0);
    const before = events.slice(0, reset).filter((event) => event.event === 'delta');
    const after = events.slice(reset).filter((event) => event.event === 'delta');
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((event) => event.data.model === 'primary')).toBe(true);
    expect(after.every((event) => event.data.model === 'backup')).toBe(true);
    expect(after.map((event) => event.data.text).join('')).toBe('The backup gives the whole answer.');
    expect(events[reset]?.data.data).toMatchObject({ model: 'primary', deltas: before.length });
    expect(events.at(-1)?.event).toBe('run.completed');
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const answers = transcript.body.messages.filter((entry: { message: { type: string } }) => entry.message.type === 'assistant');
    expect(answers).toHaveLength(1);
    expect(answers[0].message).toMatchObject({ model: 'backup', parts: [{ type: 'text', text: 'The backup gives the whole answer.' }] });
    await recordHistoryIfAsked(harness.api.client, runId, 'pool-stream-reset');
  });

  it('fails the run listing each model and its last error when every model is down', async () => {
    scriptPool(harness, [
      { model: 'pool-primary', fault: { status: 503, message: 'primary overloaded' } },
      { model: 'pool-backup', fault: { status: 401, message: 'backup key revoked' } },
      { model: 'pool-cheap', fault: { status: 500, message: 'cheap exploded' } },
    ]);
    const runId = await startComplexRun('down');
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('failed');
    expect(run.outcome.error).toMatch(/^every model failed at step 1: /);
    expect(run.outcome.error).toMatch(/primary \(ModelUnavailable: .*503.*primary overloaded/);
    expect(run.outcome.error).toMatch(/backup \(ModelAuthFailed: .*401.*backup key revoked/);
    expect(run.outcome.error).toMatch(/cheap \(ModelUnavailable: .*500.*cheap exploded/);
    await recordHistoryIfAsked(harness.api.client, runId, 'pool-every-model-down');
  });
});
