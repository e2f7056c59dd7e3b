// The two routes the console added, over HTTP against a real Keel with a priced pool: usage per UTC
// day and model agrees with the usage totals, and a tool call's full output reads back in pages
// (its event carries only a 500-character preview).
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { scriptPool, testPool } from '../support/model-pool-fixture';

describe('the console\'s routes: usage per day and full tool outputs', () => {
  let harness: Harness;
  let runId: string;
  const lines = Array.from({ length: 300 }, (_, index) => `line ${index + 1} of the long file`);

  beforeAll(async () => {
    harness = await startHarness({ pool: (server) => testPool(server) });
    scriptPool(harness, [
      { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'long.txt', content: `${lines.join('\n')}\n` } }] } },
      { turn: 1, reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'long.txt' } }] } },
      { reply: { text: 'Read it all.' } },
    ]);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Write and read a long file (${ulid()})`, complexity: 'complex', tools: ['write_file', 'read_file'] } });
    runId = created.body.id;
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('sums usage per UTC day and model to what the totals say, today included', async () => {
    const totals = await api(harness.apiUrl, 'GET', '/v1/usage', { key: harness.keys.a });
    const daily = await api(harness.apiUrl, 'GET', '/v1/usage/daily?days=7', { key: harness.keys.a });
    expect(daily.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(daily.body).toMatchObject({ tenantId: harness.tenantIds.a, to: `${new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString()}` });
    expect(Date.parse(daily.body.to) - Date.parse(daily.body.from)).toBe(7 * 86_400_000);
    const primary = totals.body.byModel.find((entry: { model: string }) => entry.model === 'primary');
    expect(daily.body.days).toEqual([{ day: today, ...primary }]);
    const other = await api(harness.apiUrl, 'GET', '/v1/usage/daily', { key: harness.keys.b });
    expect(other.body.days).toEqual([]);
  });

  it.each([['0'], ['367'], ['seven']])('answers days=%s with 400 naming the field', async (days) => {
    const response = await api(harness.apiUrl, 'GET', `/v1/usage/daily?days=${days}`, { key: harness.keys.a });
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues.map((issue: { field: string }) => issue.field)).toContain('querystring.days');
  });

  it("reads a tool call's full output in pages, and answers 404 for a call the run did not make", async () => {
    const events = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/events/list`, { key: harness.keys.a });
    const read = events.body.events.find((event: { type: string; data: { toolName: string } }) => event.type === 'tool-call.finished' && event.data.toolName === 'read_file');
    expect(read.data.outputPreview.length).toBeLessThan(read.data.outputChars);
    const full = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/tool-outputs/${read.data.callId}?step=${read.data.step}&limit=2000`, { key: harness.keys.a });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ callId: read.data.callId, toolName: 'read_file', firstLine: 1, lineCut: false });
    expect(full.body.reference).toMatch(new RegExp(`^s${read.data.step}_0_`));
    expect(full.body.text).toContain('line 300 of the long file');
    const page = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/tool-outputs/${full.body.reference}?offset=11&limit=5`, { key: harness.keys.a });
    expect(page.body).toMatchObject({ firstLine: 11, lastLine: 15, totalLines: full.body.totalLines });
    expect(page.body.text.split('\n')).toHaveLength(5);
    const wrongStep = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/tool-outputs/${read.data.callId}?step=${read.data.step + 5}`, { key: harness.keys.a });
    expect(wrongStep.status).toBe(404);
    const missing = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/tool-outputs/no-such-call`, { key: harness.keys.a });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: 'tool call no-such-call not found' });
    const otherTenant = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/tool-outputs/${full.body.reference}`, { key: harness.keys.b });
    expect(otherTenant.status).toBe(404);
  });
});
