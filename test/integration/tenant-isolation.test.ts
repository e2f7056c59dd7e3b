// Another tenant's key sees nothing of a run: reads, messages, cancel and events all answer 404.
import { ulid } from 'ulid';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

describe('tenant isolation', () => {
  let harness: Harness;
  let runId: string;

  beforeAll(async () => {
    harness = await startHarness();
    const name = `iso-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ reply: { text: 'slow answer', delayMs: 3000 } }] });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `hi (${name})`, model: `local/${name}` } });
    runId = created.body.id;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it.each([
    ['GET', '', undefined],
    ['GET', '/messages', undefined],
    ['GET', '/events', undefined],
    ['POST', '/messages', { text: 'let me in' }],
    ['POST', '/cancel', {}],
  ])("answers 404 to another tenant's %s /v1/runs/:id%s", async (method, suffix, body) => {
    const response = await api(harness.apiUrl, method, `/v1/runs/${runId}${suffix}`, { key: harness.keys.b, body });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it("does not list another tenant's runs", async () => {
    const listed = await api(harness.apiUrl, 'GET', '/v1/runs', { key: harness.keys.b });
    expect(listed.status).toBe(200);
    expect(listed.body.runs.map((run: { id: string }) => run.id)).not.toContain(runId);
    const own = await api(harness.apiUrl, 'GET', '/v1/runs', { key: harness.keys.a });
    expect(own.body.runs.map((run: { id: string }) => run.id)).toContain(runId);
  });

  it('still lets the owner read the run', async () => {
    const response = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a });
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(runId);
  });
});
