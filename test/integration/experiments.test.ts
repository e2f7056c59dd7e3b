// A/B experiments over real runs (real Temporal, PostgreSQL and the model server): an agent with a
// control arm that always completes and a treatment arm whose model fails half of the tasks, run by
// twelve users twice each. Arms stick to users, the report's rates and intervals are what the
// scenarios produce and the tests flag the difference; stopping sends every new run to the winner.
// On PostgreSQL and on embedded PGlite (the partial unique index, DISTINCT ON, the migration).
import { ulid } from 'ulid';
import { assignArm, wilsonInterval } from '../../core/experiments';
import { RUN_EVENT_TYPES } from '../../core/events/event-types';
import { EventsRepository } from '../../stores/events-repository';
import { ExperimentRunsRepository } from '../../stores/experiment-runs-repository';
import { RunsRepository } from '../../stores/runs-repository';
import { TenantsRepository } from '../../stores/tenants-repository';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const USERS_PER_ARM = 6;
const PARALLEL_RUNS = 4;
const Z2 = 1.959963984540054 ** 2;

/** Runs `work` over `items`, at most `limit` at a time. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) results.push(...await Promise.all(items.slice(start, start + limit).map(work)));
  return results;
}

describe.each(['postgres', 'pglite'] as const)('experiments over real runs on %s', (database) => {
  let harness: Harness;
  let tenants: TenantsRepository;
  let adminKey: string;
  const base = `exp-${ulid().toLowerCase()}`;
  const models = { control: `local/${base}-control`, treatment: `local/${base}-treatment` };

  beforeAll(async () => {
    harness = await startHarness({ database });
    tenants = new TenantsRepository(harness.services.database.db);
    adminKey = (await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId: 'experimenter', name: 'admin', role: 'admin' })).key;
    harness.modelServer.addScenario({ name: `${base}-control`, models: `${base}-control`, rules: [{ reply: { text: 'Control answer: done.' } }] } as never);
    // The treatment's model cannot do the second kind of task (a 400, which fails the run without opening the model's circuit).
    harness.modelServer.addScenario({
      name: `${base}-treatment`, models: `${base}-treatment`,
      rules: [{ promptIncludes: 'task two', fault: { status: 400, message: 'treatment cannot do task two' } }, { reply: { text: 'Treatment answer: done.' } }],
    } as never);
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  const asAdmin = (method: string, path: string, body?: unknown) => api(harness.apiUrl, method, path, { key: adminKey, body });
  const keyOf = new Map<string, string>();
  async function userKey(userId: string): Promise<string> {
    const known = keyOf.get(userId);
    if (known) return known;
    const { key } = await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId, name: 'experiment user' });
    keyOf.set(userId, key);
    return key;
  }
  async function createAgent(): Promise<string> {
    const name = `agent-${ulid().toLowerCase()}`;
    const created = await asAdmin('POST', '/v1/agents', {
      name, instructions: 'Answer briefly.', model: models.control, tools: [],
      policy: { outcomePrediction: false },
    });
    expect(created.status).toBe(201);
    return name;
  }
  async function startRun(userId: string, body: Record<string, unknown>): Promise<{ id: string; experiment: { id: string; arm: string } | null; model: string }> {
    const response = await api(harness.apiUrl, 'POST', '/v1/runs', { key: await userKey(userId), body });
    expect(response.status).toBe(202);
    return response.body;
  }

  it('splits users stickily, reports per-arm metrics with intervals and tests, and routes everyone to the winner once stopped', async () => {
    const agent = await createAgent();
    const arms = [{ name: 'control', weight: 1 }, { name: 'treatment', weight: 1, overrides: { model: models.treatment } }];
    const created = await asAdmin('POST', '/v1/experiments', { name: 'treatment model', agent, arms });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/experiments/${created.body.id}`);
    expect(created.body).toMatchObject({ agent, status: 'running', winner: null, arms: [{ name: 'control', overrides: {} }, { name: 'treatment', overrides: { model: models.treatment } }] });
    const experimentId = created.body.id as string;

    // Six users on each arm, found by the same hash the API uses.
    const usersOf: Record<string, string[]> = { control: [], treatment: [] };
    for (let candidate = 0; usersOf.control!.length < USERS_PER_ARM || usersOf.treatment!.length < USERS_PER_ARM; candidate += 1) {
      const userId = `user-${candidate}-${base}`;
      const arm = assignArm(experimentId, userId, arms).name;
      if (usersOf[arm]!.length < USERS_PER_ARM) usersOf[arm]!.push(userId);
    }
    const users = [...usersOf.control!, ...usersOf.treatment!];
    const starts = users.flatMap((userId) => ['task one', 'task two'].map((task) => ({ userId, message: `Please do ${task} for ${userId}.` })));
    const runs = await inBatches(starts, PARALLEL_RUNS, async (start) => {
      const run = await startRun(start.userId, { agent, message: start.message });
      return { ...start, run, finished: await waitForRun(harness.apiUrl, await userKey(start.userId), run.id, 300_000) };
    });

    // Sticky: both of a user's runs carry the user's arm, and GET /v1/runs/:id shows it.
    for (const { userId, message, run, finished } of runs) {
      const arm = usersOf.control!.includes(userId) ? 'control' : 'treatment';
      expect(run.experiment).toEqual({ id: experimentId, arm });
      expect(finished.experiment).toEqual({ id: experimentId, arm });
      expect(finished.model).toBe(arm === 'control' ? models.control : models.treatment);
      expect(finished.status).toBe(arm === 'treatment' && message.includes('task two') ? 'failed' : 'completed');
    }

    // A run that names its own model sets what the arms vary: it is not enrolled.
    const outside = await startRun(usersOf.treatment![0]!, { agent, message: 'Please do task one, my way.', model: models.control });
    expect(outside.experiment).toBeNull();
    await waitForRun(harness.apiUrl, await userKey(usersOf.treatment![0]!), outside.id, 300_000);

    const report = await asAdmin('GET', `/v1/experiments/${experimentId}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ baseline: 'control', confidenceLevel: 0.95, significanceLevel: expect.closeTo(0.05, 10) });
    const [control, treatment] = report.body.arms;
    const n = USERS_PER_ARM * 2;
    expect(control.runs).toEqual({ enrolled: n, finished: n, active: 0, routedToWinner: 0 });
    expect(treatment.runs).toEqual({ enrolled: n, finished: n, active: 0, routedToWinner: 0 });

    // Completion: 12 of 12 against 6 of 12. Wilson's bound at n of n is 1 - z²/(n + z²).
    expect(control.metrics.completionRate).toMatchObject({ n, successes: n, estimate: 1, comparison: null });
    expect(control.metrics.completionRate.interval.high).toBe(1);
    expect(control.metrics.completionRate.interval.low).toBeCloseTo(1 - Z2 / (n + Z2), 6);
    expect(treatment.metrics.completionRate).toMatchObject({ n, successes: n / 2, estimate: 0.5 });
    expect(treatment.metrics.completionRate.interval).toEqual(wilsonInterval(n / 2, n));
    expect(treatment.metrics.completionRate.interval.low).toBeCloseTo(0.2538, 3);
    expect(treatment.metrics.completionRate.interval.high).toBeCloseTo(0.7462, 3);
    // Pooled z-test: p = 18/24, z = 0.5 / √(0.75 · 0.25 · 2/12) = 2.828, two-sided p = 0.00468.
    expect(treatment.metrics.completionRate.comparison).toMatchObject({ test: 'two-proportion-z', difference: -0.5, significant: true });
    expect(treatment.metrics.completionRate.comparison.statistic).toBeCloseTo(-2.8284, 3);
    expect(treatment.metrics.completionRate.comparison.pValue).toBeCloseTo(0.00468, 4);
    expect(treatment.metrics.failureRate).toMatchObject({ n, successes: n / 2, estimate: 0.5, comparison: { significant: true } });
    expect(control.metrics.failureRate).toMatchObject({ n, successes: 0, estimate: 0 });
    expect(treatment.metrics.budgetExceededRate).toMatchObject({ n, successes: 0, comparison: { pValue: 1, significant: false } });

    // No reflection in this agent's policy: its metric has no data rather than a made-up number.
    expect(control.metrics.reflectionConfidence).toMatchObject({ n: 0, estimate: null, interval: null });
    // No reviews were opened and no run was scored.
    expect(control.metrics.approvalRate).toMatchObject({ n: 0, estimate: null, interval: null });
    expect(treatment.metrics.evalScore).toMatchObject({ n: 0, estimate: null, interval: null, comparison: null });
    // Means over the finished runs with t intervals: the failed runs took fewer steps and tokens.
    for (const metric of ['steps', 'tokens', 'durationSeconds', 'costUsd']) {
      expect(control.metrics[metric]).toMatchObject({ kind: 'mean', n });
      expect(treatment.metrics[metric].comparison).toMatchObject({ test: 'welch-t' });
    }
    expect(control.metrics.tokens.estimate).toBeGreaterThan(0);
    expect(control.metrics.durationSeconds.interval.low).toBeLessThanOrEqual(control.metrics.durationSeconds.estimate);
    expect(control.metrics.durationSeconds.interval.high).toBeGreaterThanOrEqual(control.metrics.durationSeconds.estimate);
    expect(report.body.metrics.map((metric: { key: string }) => metric.key)).toEqual(Object.keys(control.metrics));

    // Stop with the control as the winner: every user, the treatment's too, now gets the control.
    const stopped = await asAdmin('POST', `/v1/experiments/${experimentId}/stop`, { winner: 'control' });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'stopped', winner: 'control', stoppedBy: 'experimenter' });
    const after = await inBatches(users.slice(USERS_PER_ARM - 2, USERS_PER_ARM + 4), PARALLEL_RUNS, async (userId) => {
      const run = await startRun(userId, { agent, message: `Please do task two for ${userId}.` });
      return waitForRun(harness.apiUrl, await userKey(userId), run.id, 300_000);
    });
    for (const run of after) {
      expect(run.experiment).toEqual({ id: experimentId, arm: 'control' });
      expect(run.model).toBe(models.control);
      expect(run.status).toBe('completed');
    }
    const final = (await asAdmin('GET', `/v1/experiments/${experimentId}/report`)).body;
    expect(final.arms[0].runs).toEqual({ enrolled: n, finished: n, active: 0, routedToWinner: after.length });
    // The metrics stay those of the runs assigned while the experiment ran.
    expect(final.arms[1].metrics.completionRate).toMatchObject({ n, successes: n / 2 });
    expect((await asAdmin('GET', `/v1/experiments/${experimentId}`)).body).toMatchObject({ status: 'stopped', winner: 'control' });
  }, 600_000);

  it("counts the humans' approvals and rejections of each arm's reviews", async () => {
    const writer = `${base}-writer`;
    // Every run writes a file, which the agent's policy has a human confirm, then answers.
    harness.modelServer.addScenario({
      name: writer, models: writer,
      rules: [{ turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'out.txt', content: 'hello' } }] } }, { reply: { text: 'Wrote it, or was told not to.' } }],
    } as never);
    const agent = `agent-${ulid().toLowerCase()}`;
    expect((await asAdmin('POST', '/v1/agents', { name: agent, model: `local/${writer}`, tools: ['write_file'], policy: { outcomePrediction: false, safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } } } })).status).toBe(201);
    const arms = [{ name: 'control', weight: 1 }, { name: 'bold', weight: 1, overrides: { instructions: 'Write files without asking.' } }];
    const created = await asAdmin('POST', '/v1/experiments', { name: 'reviews', agent, arms });
    expect(created.status).toBe(201);
    const usersOf: Record<string, string[]> = { control: [], bold: [] };
    for (let candidate = 0; usersOf.control!.length < 2 || usersOf.bold!.length < 2; candidate += 1) {
      const userId = `reviewed-${candidate}-${base}`;
      const arm = assignArm(created.body.id, userId, arms).name;
      if (usersOf[arm]!.length < 2) usersOf[arm]!.push(userId);
    }
    // The control's writes are approved, the bold arm's rejected.
    await Promise.all(Object.entries(usersOf).flatMap(([arm, users]) => users.map(async (userId) => {
      const run = await startRun(userId, { agent, message: `Write out.txt for ${userId}` });
      expect(run.experiment).toEqual({ id: created.body.id, arm });
      const key = await userKey(userId);
      const review = await waitForReview(harness.apiUrl, key, run.id, { timeoutMs: 120_000 });
      const decided = await api(harness.apiUrl, 'POST', `/v1/runs/${run.id}/reviews/${review.id}`, {
        key, body: arm === 'control' ? { action: 'approve' } : { action: 'reject', reason: 'not this file' },
      });
      expect(decided.status).toBe(200);
      expect((await waitForRun(harness.apiUrl, key, run.id, 300_000)).status).toBe('completed');
      // Scored (evals): the control's answers pass their scorer, the bold arm's fail theirs.
      const scored = await api(harness.apiUrl, 'POST', `/v1/runs/${run.id}/scores`, {
        key, body: { scorers: [{ kind: 'answer_regex', pattern: arm === 'control' ? '^Wrote' : '^Nothing' }] },
      });
      expect(scored.status).toBe(201);
    })));

    const [control, bold] = (await asAdmin('GET', `/v1/experiments/${created.body.id}/report`)).body.arms;
    // Each arm's eval score is the mean of its runs' scores, from the scores table.
    expect(control.metrics.evalScore).toMatchObject({ n: 2, estimate: 1 });
    expect(bold.metrics.evalScore).toMatchObject({ n: 2, estimate: 0 });
    expect(control.metrics.approvalRate).toMatchObject({ n: 2, successes: 2, estimate: 1 });
    expect(control.metrics.rejectionRate).toMatchObject({ n: 2, successes: 0, estimate: 0 });
    expect(bold.metrics.rejectionRate).toMatchObject({ n: 2, successes: 2, estimate: 1 });
    // 2 of 2 against 0 of 2: pooled p = 1/2, z = -1 / √(1/4 · 1) = -2, two-sided p = 0.0455.
    expect(bold.metrics.approvalRate).toMatchObject({ n: 2, successes: 0, estimate: 0, comparison: { difference: -1, significant: true } });
    expect(bold.metrics.approvalRate.comparison.statistic).toBeCloseTo(-2, 10);
    expect(bold.metrics.approvalRate.comparison.pValue).toBeCloseTo(0.0455, 4);
  }, 600_000);

  it("reads each run's last reflection confidence from its answer.reflected events", async () => {
    // The events are written the way the worker's recorder writes them (EventsRepository.append).
    const agent = await createAgent();
    const created = await asAdmin('POST', '/v1/experiments', { name: 'reflection', agent, arms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] });
    const experimentId = created.body.id as string;
    const db = harness.services.database.db;
    const runs = new RunsRepository(db);
    const events = new EventsRepository(db);
    const confidences: Record<string, number[][]> = { a: [[40, 70], [80]], b: [[30], [50], [20, 40]] };
    for (const [arm, perRun] of Object.entries(confidences)) {
      for (const reflections of perRun) {
        const runId = `run_${ulid()}`;
        await runs.create({ id: runId, tenantId: harness.tenantIds.a, userId: 'reflected', spec: { runId }, experiment: { id: experimentId, arm } });
        await events.append(runId, harness.tenantIds.a, reflections.map((confidence, pass) => ({
          type: RUN_EVENT_TYPES.answerReflected, dedupeKey: `answer.reflected:${pass + 1}`,
          data: { step: pass + 1, threshold: 50, model: 'local/reflector', confidence, reasoning: 'r', contradiction: null, belowThreshold: confidence < 50 },
        })));
        await runs.finish(runId, { status: 'completed', step: reflections.length, usage: { inputTokens: 1, outputTokens: 1 }, outcome: { type: 'completed', answer: 'ok' } });
      }
    }
    const read = await new ExperimentRunsRepository(db).reflectionConfidences(harness.tenantIds.a, experimentId);
    expect([...read.values()].sort((x, y) => x - y)).toEqual([40, 50, 70, 80, 30].sort((x, y) => x - y));
    // Another tenant's view of the same experiment id reads nothing.
    expect((await new ExperimentRunsRepository(db).reflectionConfidences(harness.tenantIds.b, experimentId)).size).toBe(0);
    const [a, b] = (await asAdmin('GET', `/v1/experiments/${experimentId}/report`)).body.arms;
    expect(a.metrics.reflectionConfidence).toMatchObject({ n: 2, estimate: 75 });
    expect(b.metrics.reflectionConfidence).toMatchObject({ n: 3, estimate: 40 });
    // Welch: means 75 and 40, variances 50 and 100, df = (25 + 33.3)² / (625 + 555.6) = 2.88.
    expect(b.metrics.reflectionConfidence.comparison.statistic).toBeCloseTo(-35 / Math.sqrt(25 + 100 / 3), 6);
    expect(b.metrics.reflectionConfidence.comparison.degreesOfFreedom).toBeCloseTo((25 + 100 / 3) ** 2 / (625 + (100 / 3) ** 2 / 2), 6);
  }, 120_000);

  it('refuses bad experiments with a 4xx naming the problem', async () => {
    const agent = await createAgent();
    const cases: Array<[unknown, number, string, string]> = [
      [{ name: 'x', agent, arms: [{ name: 'only', weight: 1 }] }, 400, 'invalid_request', 'body.arms'],
      [{ name: 'x', agent, arms: [{ name: 'a', weight: 1 }, { name: 'a', weight: 2 }] }, 400, 'invalid_request', 'body.arms.1.name'],
      [{ name: 'x', agent, arms: [{ name: 'a', weight: 0 }, { name: 'b', weight: 1 }] }, 400, 'invalid_request', 'body.arms.0.weight'],
      [{ name: 'x', agent, arms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1, overrides: { temperature: 2 } }] }, 400, 'invalid_request', 'body.arms.1.overrides'],
      [{ name: 'x', agent, arms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1, overrides: { model: 'nowhere/none' } }] }, 400, 'unknown_model', 'arms.1.overrides.model'],
      [{ name: 'x', agent, arms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1, overrides: { tools: ['teleport'] } }] }, 400, 'unknown_tool', 'arms.1.overrides.tools'],
      [{ name: 'x', agent: `missing-${ulid().toLowerCase()}`, arms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] }, 404, 'not_found', 'agent'],
    ];
    for (const [body, status, code, field] of cases) {
      const response = await asAdmin('POST', '/v1/experiments', body);
      expect({ status: response.status, code: response.body.error?.code }).toEqual({ status, code });
      const fields = [response.body.error.details?.field, ...(response.body.error.details?.issues ?? []).map((issue: { field: string }) => issue.field)];
      expect(fields.some((named: unknown) => typeof named === 'string' && named.startsWith(field))).toBe(true);
    }

    const arms = [{ name: 'control', weight: 1 }, { name: 'terse', weight: 1, overrides: { instructions: 'Answer in one word.' } }];
    // Members read experiments and reports; creating and stopping is an admin's.
    const member = await api(harness.apiUrl, 'POST', '/v1/experiments', { key: harness.keys.a, body: { name: 'x', agent, arms } });
    expect(member.status).toBe(403);
    expect(member.body.error).toMatchObject({ code: 'permission_denied', details: { permission: 'experiments:write' } });
    const created = await asAdmin('POST', '/v1/experiments', { name: 'terse', agent, arms });
    expect(created.status).toBe(201);
    const second = await asAdmin('POST', '/v1/experiments', { name: 'again', agent, arms });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'experiment_running', details: { field: 'agent', experimentId: created.body.id } });

    const empty = await api(harness.apiUrl, 'GET', `/v1/experiments/${created.body.id}/report`, { key: harness.keys.a });
    expect(empty.status).toBe(200);
    expect(empty.body.arms[1].metrics.completionRate).toEqual({ kind: 'rate', n: 0, successes: 0, estimate: null, interval: null, comparison: null });
    const listed = await api(harness.apiUrl, 'GET', `/v1/experiments?agent=${agent}`, { key: harness.keys.a });
    expect(listed.body.experiments.map((experiment: { id: string }) => experiment.id)).toEqual([created.body.id]);

    expect((await api(harness.apiUrl, 'POST', `/v1/experiments/${created.body.id}/stop`, { key: harness.keys.a, body: { winner: 'terse' } })).status).toBe(403);
    const unknownArm = await asAdmin('POST', `/v1/experiments/${created.body.id}/stop`, { winner: 'nobody' });
    expect(unknownArm.status).toBe(400);
    expect(unknownArm.body.error).toMatchObject({ code: 'unknown_arm', details: { field: 'body.winner', arms: ['control', 'terse'] } });
    expect((await asAdmin('POST', `/v1/experiments/${created.body.id}/stop`, { winner: 'terse' })).status).toBe(200);
    const twice = await asAdmin('POST', `/v1/experiments/${created.body.id}/stop`, { winner: 'control' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'experiment_stopped', details: { winner: 'terse' } });
    // A stopped experiment frees the agent for the next one, which then decides its runs' arms.
    expect((await asAdmin('POST', '/v1/experiments', { name: 'next', agent, arms })).status).toBe(201);

    expect((await asAdmin('GET', '/v1/experiments/not-an-id')).status).toBe(400);
    const missing = await asAdmin('GET', `/v1/experiments/exp_${ulid()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  }, 120_000);
});
