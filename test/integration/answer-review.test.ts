// The workflow's answer checks end to end: a low-confidence reflection takes the configured path
// (another pass, or a human), and a cross-validation disagreement on a critical run creates a review
// holding every answer. Checking models are scripted on the local model server.
import { ulid } from 'ulid';
import { api, readSse, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

describe('answer checks in the workflow', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  function scripted(prefix: string, rules: Array<Record<string, unknown>>): string {
    const name = `${prefix}-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules } as never);
    return `local/${name}`;
  }

  async function start(model: string, policy: Record<string, unknown>): Promise<string> {
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'What is 6 times 7?', model, policy } });
    expect(created.status).toBe(202);
    return created.body.id as string;
  }

  it('sends a low-confidence answer back for another pass, then completes with the corrected answer', async () => {
    const agent = scripted('agent', [{ turn: 0, reply: { text: 'The answer is 41.' } }, { reply: { text: 'The answer is 42.' } }]);
    const reflector = scripted('reflector', [
      { promptIncludes: 'The answer is 41', reply: { text: '{"reasoning": "I guessed.", "confidence": 20, "contradiction": null}' } },
      { reply: { text: '{"reasoning": "6 x 7 = 42, checked.", "confidence": 95, "contradiction": null}' } },
    ]);
    const runId = await start(agent, { smallModel: reflector, reflection: { enabled: true, onLowConfidence: 'retry', threshold: 60 } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');
    expect(run.outcome.answer).toBe('The answer is 42.');
    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    const reflected = events.filter((event) => event.event === 'answer.reflected').map((event) => event.data.data);
    expect(reflected).toEqual([expect.objectContaining({ confidence: 20, belowThreshold: true }), expect.objectContaining({ confidence: 95, belowThreshold: false })]);
    // The agent was told why before its second pass.
    const secondPass = JSON.stringify(harness.modelServer.requests({ model: agent.slice('local/'.length) })[1]?.body);
    expect(secondPass).toContain('confidence 20/100');
    await recordHistoryIfAsked(harness.api.client, runId, 'reflection-retry');
  });

  it('asks a human about a low-confidence answer when the policy says review, and completes once approved', async () => {
    const agent = scripted('agent', [{ reply: { text: 'Probably 41.' } }]);
    const reflector = scripted('reflector', [{ reply: { text: '{"reasoning": "Not verified.", "confidence": 30, "contradiction": null}' } }]);
    const runId = await start(agent, { smallModel: reflector, reflection: { enabled: true, onLowConfidence: 'review', threshold: 60 } });
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    expect(review).toMatchObject({ kind: 'reflection', context: { answer: 'Probably 41.', confidence: 30, threshold: 60, reasoning: 'Not verified.' } });
    await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'approve' } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run).toMatchObject({ status: 'completed', outcome: { answer: 'Probably 41.' } });
  });

  it('cancels a run while a reflection review waits, and closes that review', async () => {
    const agent = scripted('agent', [{ reply: { text: 'Maybe 41.' } }]);
    const reflector = scripted('reflector', [{ reply: { text: '{"reasoning": "Guess.", "confidence": 10, "contradiction": null}' } }]);
    const runId = await start(agent, { smallModel: reflector, reflection: { enabled: true, onLowConfidence: 'review' } });
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/cancel`, { key: harness.keys.a, body: { reason: 'enough' } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run).toMatchObject({ status: 'cancelled', outcome: { reason: 'enough' } });
    expect((await api(harness.apiUrl, 'GET', `/v1/reviews/${review.id}`, { key: harness.keys.a })).body.status).toBe('closed');
  });

  it('puts a cross-validation disagreement on a critical run to a human with every answer attached; a rejection sends the agent back', async () => {
    const agent = scripted('agent', [{ turn: 0, reply: { text: 'Use PostgreSQL.' } }, { reply: { text: 'Use SQLite, as the reviewer says.' } }]);
    const first = scripted('validator', [{ reply: { text: 'SQLite is enough here.' } }]);
    const second = scripted('validator', [{ reply: { text: 'A flat JSON file will do.' } }]);
    const judge = scripted('judge', [{ reply: { text: '{"agree": false, "reason": "Three different recommendations."}' } }]);
    const runId = await start(agent, { critical: true, crossValidation: { models: [first, second], judgeModel: judge } });
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    expect(review.kind).toBe('cross-validation');
    expect(review.context.answers).toEqual([
      expect.objectContaining({ answer: 'Use PostgreSQL.', final: true }),
      expect.objectContaining({ model: first, answer: 'SQLite is enough here.' }),
      expect.objectContaining({ model: second, answer: 'A flat JSON file will do.' }),
    ]);
    expect(review.context.judgement).toMatchObject({ agree: false, reason: 'Three different recommendations.' });
    await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'reject', reason: 'SQLite is what we run' } });
    // The second answer is cross-validated again; this time a human approves it.
    const secondReview = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    expect(secondReview.id).not.toBe(review.id);
    await api(harness.apiUrl, 'POST', secondReview.links.decide, { key: harness.keys.a, body: { action: 'approve' } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run).toMatchObject({ status: 'completed', outcome: { answer: 'Use SQLite, as the reviewer says.' } });
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    expect(JSON.stringify(transcript.body)).toContain('SQLite is what we run');
    await recordHistoryIfAsked(harness.api.client, runId, 'cross-validation-review');
  });

  it('extracts notes from a completed run when the policy asks, visible to its tenant only', async () => {
    const agent = scripted('agent', [{ reply: { text: 'Noted: you prefer tabs.' } }]);
    const extractor = scripted('extractor', [{ reply: { text: '[{"content": "The user indents code with tabs, never spaces.", "category": "user_preference"}]' } }]);
    const runId = await start(agent, { smallModel: extractor, memory: { autoExtract: true } });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');
    const notes = await api(harness.apiUrl, 'GET', '/v1/notes?query=tabs%20or%20spaces', { key: harness.keys.a });
    expect(notes.body.notes).toEqual([expect.objectContaining({ content: 'The user indents code with tabs, never spaces.', category: 'user_preference', runId })]);
    const other = await api(harness.apiUrl, 'GET', '/v1/notes?query=tabs', { key: harness.keys.b });
    expect(other.body.notes).toEqual([]);
    await recordHistoryIfAsked(harness.api.client, runId, 'note-extraction');
  });
});
