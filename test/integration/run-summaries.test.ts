// What the Temporal Web UI shows of a run: each step's activity carries a one-line summary in its
// user metadata (in history, for local and regular activities), and the workflow's current details
// (the `__temporal_workflow_metadata` query the UI calls) describe the last step and the outcome.
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

function summaryOf(event: HistoryEvent): string | undefined {
  const payload = event.userMetadata?.summary;
  return payload ? defaultPayloadConverter.fromPayload<string>(payload) : undefined;
}

describe('run summaries in the Temporal Web UI', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('puts a summary on each step and the last step and outcome in the current details', async () => {
    const name = `summaries-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name,
      models: `${name}*`,
      rules: [
        { turn: 0, reply: { text: 'Writing it.', toolCalls: [{ name: 'write_file', arguments: { path: 'summary.txt', content: 'summed up\n' } }] } },
        // Slower than a local step may take: the step continues as the regular runStep activity.
        { turn: 1, reply: { text: 'All written down.', delayMs: 1200 } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Write summary.txt (${name})`, model: `local/${name}`, limits: { maxSteps: 20 } },
    });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');
    const handle = harness.api.client.workflow.getHandle(runId);
    await handle.result();
    await recordHistoryIfAsked(harness.api.client, runId, 'tool-call-with-summaries', 'step-summaries');

    const { events } = await handle.fetchHistory();
    const summaries = (events ?? []).map(summaryOf).filter((summary): summary is string => summary !== undefined);
    const model = `local/${name}`;
    // A step's first attempt is local (its summary rides on the marker) unless the run is slow; a
    // slow one continues as runStep. Which attempts happened depends on timing; the summaries do not.
    const firstStep = `Step 1/20 · ${model} · reads the first message`;
    const secondStep = `Step 2/20 · ${model} · reads write_file`;
    expect(summaries.length).toBeGreaterThanOrEqual(3);
    expect(summaries.every((summary) => summary.startsWith(firstStep) || summary.startsWith(secondStep) || summary === 'Finish · completed')).toBe(true);
    expect(summaries).toContain('Finish · completed');
    expect(summaries.some((summary) => summary.startsWith(firstStep))).toBe(true);
    // The second step's model call takes longer than a local attempt may: it runs as the regular activity.
    const scheduled = (events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'runStep');
    expect(scheduled.map(summaryOf)).toEqual(expect.arrayContaining([expect.stringMatching(/^Step 2\/20 · .+ · reads write_file( · continues the local attempt)?$/)]));

    // The query the Web UI calls for a workflow's current details.
    const metadata = await handle.query<{ currentDetails?: string | null }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(/^\*\*Run completed\*\* after 2 steps: All written down\./);
    expect(metadata.currentDetails).toMatch(/Tokens: \d+ in \/ \d+ out/);
  });
});
