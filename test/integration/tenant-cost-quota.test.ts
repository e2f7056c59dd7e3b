// A tenant's monthly cost quota stops a run mid-run: the API admits it (nothing spent yet), each
// priced call adds to the tenant's month, and the call that could go over is refused in the step
// activity, so the run ends `budget_exceeded` naming the tenant's quota, never over it.
import { ulid } from 'ulid';
import { TenantsRepository } from '../../stores/tenants-repository';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { resetCircuits, scriptPool, testPool } from '../support/model-pool-fixture';

const QUOTA_USD = 0.0025;

describe("a tenant's monthly cost quota inside the run", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ pool: (server) => testPool(server) });
    await resetCircuits(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("ends a run budget_exceeded once its tenant's month would go over the quota", async () => {
    const platform = (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.b, userId: 'cost-operator', name: 'operator', role: 'platform' })).key;
    expect((await api(harness.apiUrl, 'PUT', `/v1/tenants/${harness.tenantIds.a}/quotas`, { key: platform, body: { costUsdPerMonth: QUOTA_USD } })).status).toBe(200);
    scriptPool(harness, [{ reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'step.txt', content: 'turn {{turn}}' } }] } }]);
    // No run budget: only the tenant's quota can stop it before maxSteps.
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Keep writing (${ulid()})`, complexity: 'simple', limits: { maxSteps: 40 } } });
    expect(created.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    expect(run.status).toBe('budget_exceeded');
    expect(run.outcome).toMatchObject({ type: 'budget_exceeded', message: expect.stringContaining("over the tenant's monthly cost quota") });
    expect(run.step).toBeGreaterThan(1);
    expect(run.step).toBeLessThan(40);
    const usage = await api(harness.apiUrl, 'GET', '/v1/usage', { key: harness.keys.a });
    expect(usage.body.costUsd).toBeGreaterThan(0);
    expect(usage.body.costUsd).toBeLessThanOrEqual(QUOTA_USD);
    const events = await readSse(harness.apiUrl, harness.keys.a, created.body.id);
    expect(events.filter((event) => event.event === 'model-call.failed').at(-1)?.data.data).toMatchObject({ failureType: 'BudgetExceeded', called: false });
    expect(events.at(-1)?.event).toBe('run.budget-exceeded');

    // Another tenant without a quota runs on.
    const other = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.b, body: { message: `Keep writing (${ulid()})`, complexity: 'simple', limits: { maxSteps: 3 } } });
    expect((await waitForRun(harness.apiUrl, harness.keys.b, other.body.id)).status).toBe('step_limit_reached');
  }, 90_000);
});
