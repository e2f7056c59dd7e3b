// The claim check keeps Temporal history small and linear: a 300-step conversation stays far under
// 5 MB, and history grows in proportion to steps (not with the transcript at every step).
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { historyBytes } from '../../bench/support/history-size';
import { startHarness, type Harness } from '../support/keel-harness';

describe('Temporal history size of long conversations', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function runSteps(steps: number, extraLimits: Record<string, number> = {}) {
    const name = `long-${steps}-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turns: { from: 0, to: steps - 1 }, reply: { text: 'Next line.', toolCalls: [{ name: 'write_file', arguments: { path: 'progress.txt', content: 'step {{turn}} of a long conversation' } }] } },
        { reply: { text: `Finished ${steps} steps.` } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Run ${steps} steps (${name})`, model: `local/${name}`, stream: false, limits: { maxSteps: steps + 1, ...extraLimits } },
    });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id, 300_000);
    expect(run.status).toBe('completed');
    expect(run.step).toBe(steps + 1);
    return { runId: created.body.id as string, ...(await historyBytes(harness.api.client, created.body.id)) };
  }

  it('keeps a 300-step conversation under 5 MB of history', async () => {
    const result = await runSteps(300);
    console.log(`300-step conversation: ${result.bytes} history bytes, ${result.events} events, ${result.runs} run(s)`);
    expect(result.bytes).toBeLessThan(5 * 1024 * 1024);
    expect(result.bytes).toBeLessThan(1024 * 1024);
  }, 300_000);

  it('grows history linearly with steps (200 steps cost at most 4.5x of 50)', async () => {
    const fifty = await runSteps(50);
    const twoHundred = await runSteps(200);
    const ratio = twoHundred.bytes / fifty.bytes;
    console.log(`history bytes: 50 steps ${fifty.bytes}, 200 steps ${twoHundred.bytes}, ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeLessThanOrEqual(4.5);
  }, 300_000);

  it('continues as new when the history gets long, carrying the step count and usage', async () => {
    const result = await runSteps(300, { historyEventsBeforeContinueAsNew: 200 });
    expect(result.runs).toBeGreaterThan(1);
    const run = await api(harness.apiUrl, 'GET', `/v1/runs/${result.runId}`, { key: harness.keys.a });
    expect(run.body.outcome.answer).toBe('Finished 300 steps.');
    expect(run.body.usage.inputTokens).toBeGreaterThan(0);
  }, 300_000);
});
