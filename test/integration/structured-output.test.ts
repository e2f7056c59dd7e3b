// Structured output end to end: the final answer is requested with each provider's mechanism
// (OpenAI `response_format: json_schema`, Anthropic a forced `final_answer` tool), validated
// against the run's schema, sent back with its errors when it does not match, and after
// `maxCorrections` such answers handed to a human; GET /v1/runs/:id shows the answer as JSON.
import { ulid } from 'ulid';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

const CITY = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 0 } },
  required: ['city', 'population'],
  additionalProperties: false,
};

type Recorded = { body: Record<string, any> };

describe('structured output', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ database: 'postgres' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const scenario = (prefix: string, rules: unknown[]) => {
    const name = `${prefix}-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules } as never);
    return name;
  };

  it('asks OpenAI-compatible models with response_format, sends an invalid answer back, and shows the valid one as JSON', async () => {
    const name = scenario('so-openai', [
      { turn: 0, reply: { text: '{"city": "Paris"}' } },
      { turn: 1, lastMessageIncludes: "(root): must have required property 'population'", reply: { text: '{"city": "Paris", "population": 2100000}' } },
      { reply: { text: 'not reached' } },
    ]);
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'The capital of France?', model: `local/${name}`, tools: ['read_file'], output: { schema: CITY } } });
    expect(started.status).toBe(202);
    const runId = started.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 90_000);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ city: 'Paris', population: 2100000 });
    expect(run.outcome.answer).toBe('{"city": "Paris", "population": 2100000}');

    const requests = harness.modelServer.requests({ model: `${name}*` }) as Recorded[];
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'final_answer', schema: CITY, strict: false } });
    }
    const events = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/events/list`, { key: harness.keys.a });
    const finals = events.body.events.filter((event: { type: string }) => event.type === 'answer.final').map((event: { data: { output: unknown } }) => event.data.output);
    expect(finals).toEqual([{ valid: false, errors: ["(root): must have required property 'population'"] }, { valid: true }]);
    await recordHistoryIfAsked(harness.api.client, runId, 'structured-output-correction', 'structured-output');
  }, 120_000);

  it('forces an answer tool on Anthropic models, for a run started by an agent with an output schema', async () => {
    const name = scenario('so-anthropic', [
      { turn: 0, reply: { toolCalls: [{ name: 'final_answer', arguments: { city: 'Rome', population: 2800000 } }] } },
    ]);
    const agent = `so-${ulid().toLowerCase().slice(-8)}`;
    const saved = await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name: agent, model: `local-anthropic/${name}`, tools: ['read_file'], output: { schema: CITY } } });
    expect(saved.status).toBe(201);
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'The capital of Italy?', agent } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, started.body.id, 90_000);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ city: 'Rome', population: 2800000 });

    const [request] = harness.modelServer.requests({ model: `${name}*` }) as Recorded[];
    expect(request!.body.tool_choice).toEqual({ type: 'any' });
    const tool = (request!.body.tools as Array<{ name: string; input_schema: unknown }>).find((candidate) => candidate.name === 'final_answer');
    expect(tool?.input_schema).toEqual(CITY);
    // The answer tool's call became the answer: no dangling tool call in the transcript.
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${started.body.id}/messages`, { key: harness.keys.a });
    const last = transcript.body.messages.at(-1).message;
    expect(last.parts).toEqual([{ type: 'text', text: '{"city":"Rome","population":2800000}' }]);
  }, 120_000);

  it('hands an answer that keeps failing the schema to a human, who stops the run', async () => {
    const name = scenario('so-human', [{ reply: { text: 'Paris, about two million people.' } }]);
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: 'The capital of France?', model: `local/${name}`, tools: ['read_file'], output: { schema: CITY }, policy: { maxCorrections: 2 } },
    });
    const runId = started.body.id as string;
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    expect(review.kind).toBe('correction');
    expect(review.context.outputErrors[0]).toMatch(/the answer is not JSON/);
    expect(harness.modelServer.requests({ model: `${name}*` })).toHaveLength(2);
    const decided = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/reviews/${review.id}`, { key: harness.keys.a, body: { action: 'reject', reason: 'prose, not JSON' } });
    expect(decided.status).toBeLessThan(300);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 60_000);
    expect(run.status).toBe('failed');
    expect(run.outcome).toMatchObject({ type: 'failed', failureType: 'OutputInvalid' });
    expect(run.output).toBeNull();
  }, 120_000);

  it('names the field of an output schema that is not JSON Schema in a 400', async () => {
    const response = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'hi', output: { schema: { type: 'no-such-type' } } } });
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues[0].field).toBe('body.output.schema');
  });
});
