// Cost and budgets with the model pool: a budget too small for the preferred tier picks a cheaper
// model and says why, a run whose budget runs out stops with `budget_exceeded`, and every call's
// cost is reported per call, per run and per tenant.
import { ulid } from 'ulid';
import { costOf } from '../../core/model-pool';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { PRICES, resetCircuits, scriptPool, testPool } from '../support/model-pool-fixture';
import { recordHistoryIfAsked } from '../support/record-history';

describe('costs and budgets with the model pool', () => {
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

  const create = (body: Record<string, unknown>, key = harness.keys.a) => api(harness.apiUrl, 'POST', '/v1/runs', { key, body });

  it('chooses a cheaper model and says why when the per-call budget is too small for the primary tier', async () => {
    scriptPool(harness, [{ reply: { text: 'Done within budget.' } }]);
    const created = await create({ message: `Hard work (${ulid()})`, complexity: 'complex', budget: { maxCostPerCall: 0.03 }, tools: ['read_file'] });
    expect(created.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    expect(run.status).toBe('completed');
    const events = await readSse(harness.apiUrl, harness.keys.a, created.body.id);
    const selected = events.find((event) => event.event === 'model.selected')?.data.data;
    expect(selected.candidates.map((candidate: { modelId: string }) => candidate.modelId)).toEqual(['backup', 'cheap']);
    expect(selected.skipped).toEqual([{ modelId: 'primary', tier: 'primary', reason: expect.stringMatching(/^over budget: est \$0\.06\d* > \$0\.03 per call$/) }]);
    expect(selected.decision).toMatch(/^complex → primary had no usable model, using backup: backup/);
    expect(events.find((event) => event.event === 'model-call.finished')?.data.data.model).toBe('backup');
  });

  it("stops with budget_exceeded when the run's budget runs out", async () => {
    scriptPool(harness, [{ reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'step.txt', content: 'turn {{turn}}' } }] } }]);
    const created = await create({ message: `Keep writing (${ulid()})`, complexity: 'simple', budget: { maxCostPerRun: 0.0025 }, limits: { maxSteps: 40 } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    expect(run.status).toBe('budget_exceeded');
    expect(run.outcome).toMatchObject({ type: 'budget_exceeded', maxCostPerRun: 0.0025, message: expect.stringMatching(/^budget exceeded at step \d+: cheap \(BudgetExceeded: .*left in the run/) });
    expect(run.step).toBeGreaterThan(2);
    expect(run.step).toBeLessThan(40);
    expect(run.costUsd).toBeGreaterThan(0);
    expect(run.costUsd).toBeLessThanOrEqual(0.0025);
    expect(run.outcome.costUsd).toBeCloseTo(run.costUsd, 12);
    const events = await readSse(harness.apiUrl, harness.keys.a, created.body.id);
    expect(events.at(-1)?.event).toBe('run.budget-exceeded');
    // The refused call was never made.
    const refused = events.filter((event) => event.event === 'model-call.failed').at(-1)?.data.data;
    expect(refused).toMatchObject({ model: 'cheap', failureType: 'BudgetExceeded', called: false });
    await recordHistoryIfAsked(harness.api.client, created.body.id, 'pool-budget-exceeded');
  });

  it('reports the cost of each call, of the run and of the tenant', async () => {
    scriptPool(harness, [{ reply: { text: 'A priced answer.' } }]);
    const pooled = await create({ message: `Price me (${ulid()})`, complexity: 'medium' }, harness.keys.b);
    const named = await create({ message: `Price me too (${ulid()})`, model: 'cheap' }, harness.keys.b);
    expect(named.body).toMatchObject({ model: 'cheap', complexity: null });
    const runs = [await waitForRun(harness.apiUrl, harness.keys.b, pooled.body.id), await waitForRun(harness.apiUrl, harness.keys.b, named.body.id)];
    const calls = [];
    for (const run of runs) {
      const events = await readSse(harness.apiUrl, harness.keys.b, run.id);
      const finished = events.find((event) => event.event === 'model-call.finished')?.data.data;
      const prices = PRICES[finished.model as keyof typeof PRICES];
      expect(finished.costUsd).toBeCloseTo(costOf(finished.usage, prices), 12);
      expect(run.costUsd).toBeCloseTo(finished.costUsd, 12);
      expect(events.at(-1)?.data.data.costUsd).toBeCloseTo(finished.costUsd, 12);
      calls.push(finished);
    }
    expect(calls.map((call) => call.model)).toEqual(['backup', 'cheap']);

    const usage = await api(harness.apiUrl, 'GET', '/v1/usage', { key: harness.keys.b });
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ tenantId: harness.tenantIds.b, calls: 2, runs: 2 });
    expect(usage.body.costUsd).toBeCloseTo(calls[0].costUsd + calls[1].costUsd, 12);
    expect(usage.body.byModel.map((entry: { model: string; calls: number }) => [entry.model, entry.calls])).toEqual([['backup', 1], ['cheap', 1]]);
    expect(usage.body.inputTokens).toBe(calls[0].usage.inputTokens + calls[1].usage.inputTokens);
    const otherTenant = await api(harness.apiUrl, 'GET', '/v1/usage', { key: harness.keys.a });
    expect(otherTenant.body.byModel.some((entry: { runs: number }) => entry.runs > 0)).toBe(true);
    const future = await api(harness.apiUrl, 'GET', `/v1/usage?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { key: harness.keys.b });
    expect(future.body).toMatchObject({ calls: 0, costUsd: 0, byModel: [] });
  });
});
