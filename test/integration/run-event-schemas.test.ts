// Every event a real run stores and streams parses with RunEventSchema (a producer that drifts from
// its schema fails here), and the OpenAPI document carries the schema of every event type.
import { ulid } from 'ulid';
import { DeltaDataSchema, RUN_EVENT_TYPES, RunEventSchema } from '../../core/events';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

function scenario(name: string) {
  return {
    name,
    models: `${name}*`,
    rules: [
      // One retryable failure first: `model-call.failed` is recorded and parsed too.
      { turn: 0, times: 1, fault: { status: 503 } },
      { turn: 0, reply: { text: 'Writing the file.', toolCalls: [{ name: 'write_file', arguments: { path: 'notes/hello.txt', content: 'hello\n' } }] } },
      { turn: 1, reply: { text: 'Done.' } },
    ],
  };
}

describe('run events against their schemas', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ database: 'postgres', redisUrl: 'redis://127.0.0.1:6379' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('parses every streamed and stored event of a run with a failed call, a tool call and deltas', async () => {
    const name = `schemas-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario(scenario(name));
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Write a file (${name})`, model: `local/${name}` } });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;

    const streamed = await readSse(harness.apiUrl, harness.keys.a, runId);
    const problems: string[] = [];
    for (const message of streamed) {
      const parsed = message.event === 'delta' ? DeltaDataSchema.safeParse(message.data) : RunEventSchema.safeParse(message.data);
      if (!parsed.success) problems.push(`${message.event}: ${parsed.error.message}`);
      else if (message.event !== 'delta') expect(message.data.type).toBe(message.event);
    }
    expect(problems).toEqual([]);
    const types = new Set(streamed.map((message) => message.event));
    for (const type of ['run.started', 'model-call.failed', 'model-call.finished', 'tool-call.started', 'tool-call.finished', 'answer.final', 'run.completed', 'delta']) {
      expect(types).toContain(type);
    }
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');

    const listed = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/events/list?limit=3`, { key: harness.keys.a });
    expect(listed.status).toBe(200);
    expect(listed.body.events).toHaveLength(3);
    expect(listed.body.nextAfter).toBe(listed.body.events[2].id);
    const rest = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/events/list?after=${listed.body.nextAfter}`, { key: harness.keys.a });
    expect(rest.body.nextAfter).toBeNull();
    const stored = [...listed.body.events, ...rest.body.events];
    expect(stored.map((event: { type: string }) => event.type)).toEqual(streamed.filter((message) => message.event !== 'delta').map((message) => message.event));
    for (const event of stored) expect(RunEventSchema.safeParse(event).success).toBe(true);
  });

  it('answers a bad page of the events list with a 400 naming the field', async () => {
    const listed = await api(harness.apiUrl, 'GET', `/v1/runs/run_${ulid()}/events/list?limit=0`, { key: harness.keys.a });
    expect(listed.status).toBe(400);
    expect(listed.body.error.message).toContain('limit');
  });

  it('documents the schema of every event type and of delta in the OpenAPI document', async () => {
    const response = await api(harness.apiUrl, 'GET', '/docs/json');
    expect(response.status).toBe(200);
    const text = JSON.stringify(response.body);
    const list = response.body.paths['/v1/runs/{id}/events/list'].get.responses['200'].content['application/json'].schema;
    expect(list.properties.events.items).toEqual({ $ref: '#/components/schemas/RunEvent' });
    const union = response.body.components.schemas.RunEvent;
    const members = (union.oneOf ?? union.anyOf) as Array<{ properties: { type: { const?: string; enum?: string[] }; data: unknown } }>;
    const documented = JSON.stringify(members.map((member) => member.properties.type));
    for (const type of Object.values(RUN_EVENT_TYPES)) {
      // Each type is a `const` discriminant of one member of the union, with its data's fields.
      expect(documented).toMatch(new RegExp(`"(const|enum)":\\[?"${type.replace('.', '\\.')}"`));
    }
    expect(members).toHaveLength(Object.values(RUN_EVENT_TYPES).length);
    // The SSE route names every message type and refers to both schemas.
    const sse = JSON.stringify(response.body.paths['/v1/runs/{id}/events'].get.responses['200']);
    for (const type of [...Object.values(RUN_EVENT_TYPES), 'delta']) expect(sse).toContain(`\`${type}\``);
    expect(sse).toContain('#/components/schemas/RunEvent');
    expect(sse).toContain('#/components/schemas/DeltaData');
    expect(response.body.components.schemas.DeltaData.properties).toHaveProperty('callId');
    // A member's data spells out its fields.
    expect(text).toContain('"outputPreview"');
  });
});
