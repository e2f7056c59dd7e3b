// After one real run (a tool call, then an answer, streamed over SSE, with a note recalled), the
// API's /metrics and the worker's (KEEL_METRICS_PORT) carry the named series with non-zero values;
// a worker process merges the Temporal SDK's own series into its /metrics.
import type { ChildProcess } from 'node:child_process';
import { ulid } from 'ulid';
import { api, readSse, waitForRun } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';
import { scrape, total } from '../../support/metrics-text';
import { killProcess, spawnWorker, waitForWorkerStarted } from '../../support/worker-process';
import { freePort } from '../../support/prometheus-server';

export function toolThenAnswer(name: string) {
  return {
    name,
    models: `${name}*`,
    rules: [
      { turn: 0, reply: { text: 'Writing the file.', toolCalls: [{ name: 'write_file', arguments: { path: 'hello.txt', content: 'hello\n' } }] } },
      { turn: 1, reply: { text: 'Done: hello.txt is written.' } },
    ],
  };
}

async function oneRun(harness: Harness, name: string): Promise<string> {
  harness.modelServer.addScenario(toolThenAnswer(name));
  const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Write hello (${name})`, model: `local/${name}` } });
  expect(created.status).toBe(202);
  const runId = created.body.id as string;
  await readSse(harness.apiUrl, harness.keys.a, runId);
  const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
  expect(run.status).toBe('completed');
  return runId;
}

describe('Prometheus metrics after a run', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ environment: { KEEL_METRICS_PORT: '0' } });
    const note = await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: 'The user writes greetings to hello.txt.', category: 'project_info' } });
    expect(note.status).toBe(201);
    await oneRun(harness, `metrics-${ulid().toLowerCase()}`);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("serves the worker's run, step, model, tool, queue and recall series on KEEL_METRICS_PORT", async () => {
    const url = harness.worker?.metricsServer?.url;
    expect(url).toBeDefined();
    const { status, contentType, samples } = await scrape(`${url}/metrics`);
    expect(status).toBe(200);
    expect(contentType).toContain('text/plain');
    const tenant = harness.tenantIds.a;
    expect(total(samples, 'keel_runs_started_total', { tenant })).toBe(1);
    expect(total(samples, 'keel_runs_finished_total', { tenant, status: 'completed' })).toBe(1);
    expect(total(samples, 'keel_steps_total', { kind: 'tool-calls' })).toBeGreaterThanOrEqual(1);
    expect(total(samples, 'keel_steps_total', { kind: 'final' })).toBeGreaterThanOrEqual(1);
    expect(total(samples, 'keel_step_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(total(samples, 'keel_step_overhead_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(total(samples, 'keel_model_calls_total', { outcome: 'ok', provider: 'openai', model: 'local/*' })).toBe(2);
    expect(total(samples, 'keel_model_call_duration_seconds_count')).toBe(2);
    expect(total(samples, 'keel_model_time_to_first_token_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(total(samples, 'keel_model_tokens_total', { direction: 'input' })).toBeGreaterThan(0);
    expect(total(samples, 'keel_model_tokens_total', { direction: 'output' })).toBeGreaterThan(0);
    expect(total(samples, 'keel_tool_calls_total', { tool: 'write_file', outcome: 'ok', verdict: 'allow' })).toBe(1);
    expect(total(samples, 'keel_tool_call_duration_seconds_count', { tool: 'write_file' })).toBe(1);
    // Each step is the local runStepLocally or the regular runStep (promoted, or scheduled as one).
    const stepActivities = total(samples, 'keel_activity_schedule_to_start_seconds_count', { activity: 'runStepLocally', local: 'true' })
      + total(samples, 'keel_activity_schedule_to_start_seconds_count', { activity: 'runStep', local: 'false' });
    expect(stepActivities).toBeGreaterThanOrEqual(2);
    expect(total(samples, 'keel_activity_duration_seconds_count', { activity: 'finishRun', outcome: 'ok' })).toBe(1);
    expect(total(samples, 'keel_memory_recall_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(samples.some((sample) => sample.name === 'keel_circuit_state')).toBe(true);
    // Bounded labels: no run id anywhere in the exposition.
    expect(samples.every((sample) => !Object.values(sample.labels).some((value) => value.startsWith('run_')))).toBe(true);
  });

  it("serves the API's request, review, SSE and circuit series on GET /metrics", async () => {
    const { status, samples, text } = await scrape(`${harness.apiUrl}/metrics`);
    expect(status).toBe(200);
    expect(total(samples, 'keel_http_requests_total', { method: 'POST', route: '/v1/runs', status: '202' })).toBe(1);
    expect(total(samples, 'keel_http_request_duration_seconds_count', { route: '/v1/runs/:id' })).toBeGreaterThan(0);
    // Counted over the whole database, which other test files share: present, not necessarily 0.
    expect(text).toMatch(/^keel_reviews_pending\{process="api"\} \d+$/m);
    expect(text).toMatch(/^keel_sse_clients\{process="api"\} 0$/m);
    expect(samples.some((sample) => sample.name === 'keel_circuit_state' && sample.labels.model === 'keel-demo')).toBe(true);
    expect(total(samples, 'keel_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts an open SSE stream in keel_sse_clients while it is open', async () => {
    const name = `metrics-slow-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ turn: 0, reply: { text: 'Slow answer.', delayMs: 3000 } }] });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'wait for me', model: `local/${name}` } });
    const controller = new AbortController();
    const response = await fetch(`${harness.apiUrl}/v1/runs/${created.body.id}/events`, { headers: { authorization: `Bearer ${harness.keys.a}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(total((await scrape(`${harness.apiUrl}/metrics`)).samples, 'keel_sse_clients')).toBe(1);
    controller.abort();
    await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
  });

  describe('with KEEL_METRICS_TOKEN set', () => {
    const token = 'scrape-token-0123456789';
    let child: ChildProcess | undefined;
    let metricsPort: number;

    beforeAll(async () => {
      metricsPort = await freePort();
      child = spawnWorker(harness, { output: 'pipe', environment: { LOG_LEVEL: 'info', KEEL_METRICS_PORT: String(metricsPort), KEEL_METRICS_TOKEN: token, KEEL_TASK_QUEUE: `metrics-token-${ulid()}` } });
      await waitForWorkerStarted(child);
    });
    afterAll(async () => {
      if (child) await killProcess(child);
    });

    it("answers the worker's /metrics only with the bearer token", async () => {
      const url = `http://127.0.0.1:${metricsPort}/metrics`;
      const refused = await fetch(url, { headers: { authorization: 'Bearer not-the-token' } });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      const allowed = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('keel_steps_total');
    });
  });

  describe('a worker process', () => {
    let child: ChildProcess | undefined;
    let metricsPort: number;

    beforeAll(async () => {
      await harness.worker?.stop();
      metricsPort = await freePort();
      child = spawnWorker(harness, {
        output: 'pipe',
        environment: { LOG_LEVEL: 'info', KEEL_METRICS_PORT: String(metricsPort), KEEL_TEMPORAL_METRICS_PORT: String(await freePort()), KEEL_UNSAFE_BASH: '1' },
      });
      await waitForWorkerStarted(child);
    });
    afterAll(async () => {
      if (child) await killProcess(child);
    });

    it("merges the Temporal SDK's series into its /metrics", async () => {
      await oneRun(harness, `metrics-process-${ulid().toLowerCase()}`);
      const { samples } = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(total(samples, 'keel_runs_finished_total', { status: 'completed' })).toBe(1);
      expect(samples.filter((sample) => sample.name.startsWith('temporal_')).length).toBeGreaterThan(0);
      expect(total(samples, 'temporal_workflow_completed_total')).toBeGreaterThanOrEqual(1);
    });
  });
});
