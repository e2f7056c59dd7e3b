// Every model call costed, end to end over HTTP with a priced pool: a run with outcome prediction,
// tool-output compression, a context summary and reflection writes one ledger row per call the model
// server answered, each under its purpose (cross-validation and note extraction in a critical run);
// GET /v1/usage totals (and its groups by purpose, model and
// user) equal the sum of the per-call costs from the pool's prices; a run whose budget goes on a
// prediction stops `budget_exceeded`; a health check is costed on the platform tenant, once per activity.
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { ulid } from 'ulid';
import { createActivities } from '../../activities/create-activities';
import { PLATFORM_TENANT_ID } from '../../core/access';
import { costOf } from '../../core/model-pool';
import { createProvider } from '../../providers';
import { modelUsage } from '../../stores/schema';
import { TenantsRepository } from '../../stores/tenants-repository';
import { createToolRegistry } from '../../tools';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness, type ModelServer } from '../support/keel-harness';
import { poolModel } from '../support/model-pool-fixture';

const PRICES = {
  main: { inputPerMillion: 1, outputPerMillion: 5 },
  judge: { inputPerMillion: 3, outputPerMillion: 15 },
  dear: { inputPerMillion: 400, outputPerMillion: 2000 },
} as const;

function priceOf(model: string): { inputPerMillion: number; outputPerMillion: number } {
  const entry = Object.entries(PRICES).find(([id]) => id === model);
  if (!entry) throw new Error(`no price for ${model}`);
  return entry[1];
}

/** `main` has a small window (a long run is cut and summarised); `judge` answers checks; `dear` is a prediction that costs the budget. */
function usagePool(server: ModelServer) {
  return {
    tiers: {
      primary: [poolModel(server, 'main', PRICES.main, { contextWindow: 4_000, maxOutputTokens: 500 })],
      backup: [poolModel(server, 'judge', PRICES.judge)],
      fallback: [poolModel(server, 'dear', PRICES.dear)],
    },
    circuit: { failureThreshold: 3, cooldownSeconds: 3 },
    health: { intervalMinutes: 1440 },
  };
}

const PREDICTION = JSON.stringify({ prediction: 'Replaces the contents of notes.txt with "fresh".', effects: ['modify'], matchesRequest: true, reason: 'The user asked to replace the contents.' });
const REFLECTION = JSON.stringify({ reasoning: 'The file was replaced and the rows were printed, as asked.', confidence: 95, contradiction: null });

type LoggedRequest = { model?: string; outcome: string; body: unknown };
type WireBody = { messages?: Array<{ role: string; content?: unknown }> };

/** The purpose of a request the model server answered, read from what Keel sent (its system prompt or first user message). */
function purposeOf(request: LoggedRequest): string {
  if (request.model === 'pool-main') return 'step';
  const messages = (request.body as WireBody).messages ?? [];
  const system = String(messages.find((message) => message.role === 'system')?.content ?? '');
  const user = String(messages.find((message) => message.role === 'user')?.content ?? '');
  if (system.startsWith('You check tool calls')) return 'prediction';
  if (system.startsWith("You review an AI assistant's final answer")) return 'reflection';
  if (user.startsWith('Summarise the earlier part of an agent conversation')) return 'summary';
  if (user.startsWith('Summarise the output of the tool')) return 'compression';
  if (system.startsWith('You extract durable memory')) return 'extraction';
  if (system.startsWith('You judge whether several answers') || system.includes('No tools are available. Reply with a concise final answer')) return 'cross_validation';
  return `unknown (${request.model}: ${system.slice(0, 40)} / ${user.slice(0, 40)})`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe('every model call costed', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ pool: usagePool });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const ledgerOf = (runId: string) => harness.services.database.db.select().from(modelUsage).where(eq(modelUsage.runId, runId));
  const expectedCost = (rows: Array<typeof modelUsage.$inferSelect>) =>
    rows.reduce((total, row) => total + costOf({ inputTokens: row.inputTokens, outputTokens: row.outputTokens, cachedInputTokens: row.cachedInputTokens }, priceOf(row.model)), 0);

  it('records one ledger row per answered call under its purpose, and the usage totals are the sum of the per-call costs', async () => {
    const conversation = `costed-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: 'main', models: 'pool-main',
      rules: [
        { times: 1, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'old\n' } }] } },
        // Overwrites an existing file: destructive, so the small model predicts it first.
        { times: 1, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo fresh > notes.txt' } }] } },
        // Far over the tool-output limit: compressed by the small model.
        { times: 1, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'seq 1 4000' } }] } },
        // Enough rows to outgrow main's window: the conversation is cut and summarised.
        { times: 16, reply: { toolCalls: [{ name: 'bash', arguments: { command: "printf 'row %s: some words to fill the context window quickly\\n' $(seq 1 20)" } }] } },
        { reply: { text: 'Replaced notes.txt and printed the rows.' } },
      ],
    });
    harness.modelServer.addScenario({
      name: 'judge', models: 'pool-judge',
      rules: [
        { systemIncludes: 'You check tool calls', reply: { text: PREDICTION } },
        { systemIncludes: "You review an AI assistant's final answer", reply: { text: REFLECTION } },
        { promptIncludes: 'Summarise the earlier part of an agent conversation', reply: { text: 'EARLIER: notes.txt was replaced; many rows were printed.' } },
        { promptIncludes: 'Summarise the output of the tool', reply: { text: 'The numbers 1 to 4000, one per line.' } },
      ],
    });
    harness.modelServer.clearRequests();

    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.b,
      body: {
        message: `Replace the contents of notes.txt with "fresh", then print rows until told to stop (${conversation})`,
        model: 'main', tools: ['bash', 'write_file'], limits: { maxSteps: 40 },
        policy: { outcomePrediction: true, smallModel: 'judge', reflection: { enabled: true, threshold: 60 } },
      },
    });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.b, runId, 120_000);
    expect(run.status).toBe('completed');

    const answered = harness.modelServer.requests({ model: 'pool-*' }).filter((request) => request.outcome === 'reply');
    const served = countBy(answered, purposeOf);
    expect(Object.keys(served).sort()).toEqual(['compression', 'prediction', 'reflection', 'step', 'summary']);
    expect(served.prediction).toBe(1);
    expect(served.compression).toBe(1);
    expect(served.reflection).toBe(1);
    expect(served.step).toBe(20);

    const rows = await ledgerOf(runId);
    expect(countBy(rows, (row) => row.purpose)).toEqual(served);
    expect(countBy(rows.filter((row) => row.purpose !== 'step'), (row) => row.model)).toEqual({ judge: answered.length - served.step! });
    expect(rows.every((row) => row.userId === 'user-b' && row.tenantId === harness.tenantIds.b)).toBe(true);
    for (const row of rows) expect(row.costUsd).toBeCloseTo(costOf({ inputTokens: row.inputTokens, outputTokens: row.outputTokens }, priceOf(row.model)), 12);
    const total = expectedCost(rows);
    const nonStep = expectedCost(rows.filter((row) => row.purpose !== 'step'));
    expect(nonStep).toBeGreaterThan(0);

    // Tenant b ran nothing else: its usage is this run's ledger, whatever it is grouped by.
    const usage = await api(harness.apiUrl, 'GET', '/v1/usage', { key: harness.keys.b });
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ calls: answered.length, runs: 1, scope: 'user', groupBy: null, groups: [] });
    expect(usage.body.costUsd).toBeCloseTo(total, 12);
    // The tenant's and the user's monthly quotas count every purpose as well.
    const quota = (scope: string) => usage.body.quotas.find((entry: { quota: string; scope: string }) => entry.quota === 'costUsdPerMonth' && entry.scope === scope);
    expect(quota('tenant').used).toBeCloseTo(total, 12);
    expect(quota('user').used).toBeCloseTo(total, 12);
    // The run's own cost counts every purpose too, not only its steps' replies.
    expect(run.costUsd).toBeCloseTo(total, 12);

    const byPurpose = await api(harness.apiUrl, 'GET', '/v1/usage?groupBy=purpose', { key: harness.keys.b });
    expect(byPurpose.status).toBe(200);
    expect(byPurpose.body.groupBy).toBe('purpose');
    expect(Object.fromEntries(byPurpose.body.groups.map((group: { key: string; calls: number }) => [group.key, group.calls]))).toEqual(served);
    for (const group of byPurpose.body.groups) {
      expect(group.costUsd).toBeCloseTo(expectedCost(rows.filter((row) => row.purpose === group.key)), 12);
    }
    const byModel = await api(harness.apiUrl, 'GET', '/v1/usage?groupBy=model', { key: harness.keys.b });
    expect(byModel.body.groups.map((group: { key: string }) => group.key)).toEqual(['judge', 'main']);
    expect(byModel.body.groups.reduce((sum: number, group: { costUsd: number }) => sum + group.costUsd, 0)).toBeCloseTo(total, 12);
    const byUser = await api(harness.apiUrl, 'GET', '/v1/usage?groupBy=user', { key: harness.keys.b });
    expect(byUser.body.groups).toEqual([expect.objectContaining({ key: 'user-b', calls: answered.length })]);
  }, 180_000);

  it("costs a critical run's cross-validation (each validator and the judge) and its note extraction", async () => {
    harness.modelServer.addScenario({ name: 'main', models: 'pool-main', rules: [{ reply: { text: 'Use PostgreSQL.' } }] });
    harness.modelServer.addScenario({
      name: 'judge', models: 'pool-judge',
      rules: [
        { systemIncludes: 'You judge whether several answers', reply: { text: '{"agree": true, "reason": "All recommend PostgreSQL."}' } },
        { systemIncludes: 'You extract durable memory', reply: { text: '[{"content": "The user builds a ledger service.", "category": "project_info", "importance": 0.6}]' } },
        { reply: { text: 'PostgreSQL, for its transactions.' } },
      ],
    });
    harness.modelServer.addScenario({ name: 'dear', models: 'pool-dear', rules: [{ reply: { text: 'I would pick PostgreSQL.' } }] });
    harness.modelServer.clearRequests();
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: {
        message: `Which database should my ledger service use? (${ulid()})`, model: 'main',
        policy: { smallModel: 'judge', critical: true, crossValidation: { models: ['judge', 'dear'], judgeModel: 'judge' }, memory: { autoExtract: true } },
      },
    });
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    const answered = harness.modelServer.requests({ model: 'pool-*' }).filter((request) => request.outcome === 'reply');
    const served = countBy(answered, purposeOf);
    expect(served).toEqual({ step: 1, cross_validation: 3, extraction: 1 });
    const rows = await ledgerOf(runId);
    expect(countBy(rows, (row) => row.purpose)).toEqual(served);
    expect(rows.filter((row) => row.purpose === 'cross_validation').map((row) => row.usageKey).sort())
      .toEqual([`${runId}:1:cross_validation:judge`, `${runId}:1:cross_validation:validator:dear`, `${runId}:1:cross_validation:validator:judge`]);
    expect(rows.find((row) => row.purpose === 'extraction')).toMatchObject({ usageKey: `${runId}:extraction`, step: null, userId: 'user-a' });
    expect(run.costUsd).toBeCloseTo(expectedCost(rows), 12);
  });

  it("stops a run with budget_exceeded once a prediction has spent its budget (steps' replies alone stay far under it)", async () => {
    harness.modelServer.addScenario({
      name: 'main', models: 'pool-main',
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'old\n' } }] } },
        { turn: 1, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo fresh > notes.txt' } }] } },
        { reply: { text: 'Replaced notes.txt.' } },
      ],
    });
    harness.modelServer.addScenario({ name: 'dear', models: 'pool-dear', rules: [{ reply: { text: PREDICTION } }] });
    const maxCostPerRun = 0.05;
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: {
        message: `Replace the contents of notes.txt with "fresh" (${ulid()})`, model: 'main', tools: ['bash', 'write_file'],
        budget: { maxCostPerRun }, policy: { outcomePrediction: true, smallModel: 'dear' },
      },
    });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('budget_exceeded');
    const rows = await ledgerOf(runId);
    const prediction = rows.find((row) => row.purpose === 'prediction');
    expect(prediction?.model).toBe('dear');
    expect(prediction!.costUsd!).toBeGreaterThan(maxCostPerRun);
    const stepCost = expectedCost(rows.filter((row) => row.purpose === 'step'));
    expect(stepCost).toBeLessThan(maxCostPerRun / 10);
    expect(run.costUsd).toBeCloseTo(expectedCost(rows), 12);
    expect(run.outcome).toMatchObject({ type: 'budget_exceeded', maxCostPerRun });
    expect(run.outcome.costUsd).toBeCloseTo(run.costUsd, 12);
    // The final step never ran: the answer the script had ready was never asked for.
    expect(rows.filter((row) => row.purpose === 'step')).toHaveLength(2);
  });

  it('refuses the next step with budget_exceeded once a reflection between steps has spent the budget', async () => {
    harness.modelServer.addScenario({ name: 'main', models: 'pool-main', rules: [{ reply: { text: 'Probably 41.' } }] });
    const lowConfidence = JSON.stringify({ reasoning: 'A guess.', confidence: 10, contradiction: null });
    harness.modelServer.addScenario({ name: 'dear', models: 'pool-dear', rules: [{ reply: { text: lowConfidence } }] });
    const maxCostPerRun = 0.05;
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: {
        message: `What is 6 times 7? (${ulid()})`, model: 'main', budget: { maxCostPerRun },
        policy: { smallModel: 'dear', reflection: { enabled: true, threshold: 60, onLowConfidence: 'retry', maxPasses: 3 } },
      },
    });
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('budget_exceeded');
    // The refused call names the ledger's spend, the reflection included.
    expect(run.outcome.message).toMatch(/left in the run/);
    const rows = await ledgerOf(runId);
    expect(countBy(rows, (row) => row.purpose)).toEqual({ step: 1, reflection: 1 });
    expect(run.costUsd).toBeCloseTo(expectedCost(rows), 12);
    expect(run.costUsd).toBeGreaterThan(maxCostPerRun);
  });

  it('answers a groupBy it does not know with a 400 naming the field, and shows a member only their own runs', async () => {
    const bad = await api(harness.apiUrl, 'GET', '/v1/usage?groupBy=colour', { key: harness.keys.a });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBeDefined();
    expect(bad.body.error.message).toContain('querystring.groupBy');
    const document = await api(harness.apiUrl, 'GET', '/docs/json');
    const groupBy = document.body.paths['/v1/usage'].get.parameters.find((parameter: { name: string }) => parameter.name === 'groupBy');
    expect(groupBy?.schema.enum).toEqual(['purpose', 'model', 'user']);
    expect(Object.keys(document.body.paths['/v1/usage'].get.responses['200'].content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['groups', 'groupBy', 'scope']));

    const tenants = new TenantsRepository(harness.services.database.db);
    const colleague = (await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId: `colleague-${ulid()}`, name: 'member' })).key;
    const admin = (await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId: `admin-${ulid()}`, name: 'admin', role: 'admin' })).key;
    harness.modelServer.addScenario({ name: 'main', models: 'pool-main', rules: [{ reply: { text: 'Hello.' } }] });
    for (const key of [colleague, harness.keys.a]) {
      const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key, body: { message: `Say hello (${ulid()})`, model: 'main' } });
      expect((await waitForRun(harness.apiUrl, key, created.body.id)).status).toBe('completed');
    }

    const mine = await api(harness.apiUrl, 'GET', '/v1/usage?groupBy=user', { key: colleague });
    expect(mine.body).toMatchObject({ scope: 'user', calls: 1, runs: 1 });
    expect(mine.body.groups.map((group: { key: string }) => group.key)).toHaveLength(1);
    const everyone = await api(harness.apiUrl, 'GET', '/v1/usage?groupBy=user', { key: admin });
    expect(everyone.body.scope).toBe('tenant');
    expect(everyone.body.groups.map((group: { key: string }) => group.key)).toEqual(expect.arrayContaining(['user-a', mine.body.groups[0].key]));
    expect(everyone.body.costUsd).toBeCloseTo(everyone.body.groups.reduce((sum: number, group: { costUsd: number }) => sum + group.costUsd, 0), 12);
    expect(everyone.body.calls).toBeGreaterThan(mine.body.calls);
    const daily = await api(harness.apiUrl, 'GET', '/v1/usage/daily', { key: colleague });
    expect(daily.body.scope).toBe('user');
    expect(daily.body.days.reduce((sum: number, day: { calls: number }) => sum + day.calls, 0)).toBe(1);
  });

  it('costs a health check on the platform tenant with no run, once however often its activity is retried', async () => {
    harness.modelServer.addScenario({ name: 'main', models: 'pool-main', rules: [{ reply: { text: 'ok' } }] });
    const { services, config } = harness;
    const activities = createActivities({
      db: services.database.db, bus: services.bus, catalog: services.catalog, providerFor: createProvider, tools: createToolRegistry(),
      workspaceRoot: config.workspaceRoot, jobsRoot: config.jobsRoot, circuits: services.circuits, memory: services.memory, pool: services.pool,
    });
    const workflowId = `health-${ulid()}`;
    const attempt = () => new MockActivityEnvironment({ activityId: '1', workflowExecution: { workflowId, runId: 'r1' } }).run(activities.checkModelHealth, { modelId: 'main' });
    expect(await attempt()).toMatchObject({ ok: true });
    expect(await attempt()).toMatchObject({ ok: true });
    const rows = (await services.database.db.select().from(modelUsage).where(eq(modelUsage.tenantId, PLATFORM_TENANT_ID)))
      .filter((row) => row.usageKey.includes(workflowId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ purpose: 'health', model: 'main', runId: null, userId: null, step: null });
    expect(rows[0]!.costUsd).toBeCloseTo(costOf({ inputTokens: rows[0]!.inputTokens, outputTokens: rows[0]!.outputTokens }, PRICES.main), 12);
  });
});
