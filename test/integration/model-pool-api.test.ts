// The HTTP surface of the model pool: complexity and budget are validated strictly with the field
// named, and GET /v1/models shows each model's tier, price and circuit.
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { PRICES, testPool } from '../support/model-pool-fixture';

describe('the model pool over HTTP', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ pool: (server) => testPool(server), worker: false });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const post = (body: unknown) => api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body });

  it.each([
    [{ message: 'hi', complexity: 'hard' }, 'body.complexity'],
    [{ message: 'hi', budget: { maxCostPerRun: 0 } }, 'body.budget.maxCostPerRun'],
    [{ message: 'hi', budget: { maxCostPerCall: -1 } }, 'body.budget.maxCostPerCall'],
    [{ message: 'hi', budget: { maxCostPerRun: '1' } }, 'body.budget.maxCostPerRun'],
    [{ message: 'hi', budget: { perDay: 5 } }, 'body.budget'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.details.issues.map((issue: { field: string }) => issue.field)).toContain(field);
  });

  it('refuses complexity together with a named model', async () => {
    const response = await post({ message: 'hi', model: 'primary', complexity: 'simple' });
    expect(response.status).toBe(400);
    expect(response.body.error.details.fields).toEqual(['complexity', 'model']);
  });

  it('refuses a budget for a model that has no price', async () => {
    const response = await post({ message: 'hi', model: 'keel-demo', budget: { maxCostPerRun: 1 } });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'unpriced_model', details: { field: 'budget', models: ['keel-demo'] } });
  });

  it('routes a run that names no model through the pool with complexity auto', async () => {
    const response = await post({ message: 'hi', budget: { maxCostPerRun: 0.5 } });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ model: null, models: [], complexity: 'auto', budget: { maxCostPerRun: 0.5 }, costUsd: 0 });
  });

  it('lists pool models with their tier, price, context window and circuit', async () => {
    const response = await api(harness.apiUrl, 'GET', '/v1/models', { key: harness.keys.a });
    expect(response.status).toBe(200);
    expect(response.body.selection).toBe('pool');
    const primary = response.body.models.find((model: { id: string }) => model.id === 'primary');
    expect(primary).toEqual({
      id: 'primary', provider: 'openai', model: 'pool-primary', tier: 'primary', contextWindow: 200_000, pricing: PRICES.primary,
      circuit: { state: 'closed', consecutiveFailures: 0, retryAt: null, lastError: null, lastLatencyMs: null, lastCheckedAt: null, lastHealthOk: null },
      healthChecks: [],
    });
    const family = response.body.models.find((model: { id: string }) => model.id === 'local/*');
    expect(family).toMatchObject({ tier: null, pricing: null, circuit: null, healthChecks: [] });
  });

  it('answers a malformed usage window with 400 naming the field', async () => {
    const response = await api(harness.apiUrl, 'GET', '/v1/usage?from=yesterday', { key: harness.keys.a });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('querystring.from');
  });
});
