// The answer checks as activities with real dependencies: a real run over HTTP (real worker,
// PostgreSQL, the model server) produces a final answer, then `reflectOnAnswer` and `crossValidate`
// are called the way the workflow calls them, against scripted checking models.
import { ulid } from 'ulid';
import { createActivities } from '../../activities/create-activities';
import { createProvider } from '../../providers';
import { EventsRepository } from '../../stores/events-repository';
import { createToolRegistry } from '../../tools';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

type ScriptedReply = { text?: string; toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }> };

describe('answer checks on a finished run', () => {
  let harness: Harness;
  let activities: ReturnType<typeof createActivities>;
  let events: EventsRepository;

  beforeAll(async () => {
    harness = await startHarness();
    const { services, config } = harness;
    activities = createActivities({
      db: services.database.db, bus: services.bus, catalog: services.catalog, providerFor: createProvider, tools: createToolRegistry(),
      workspaceRoot: config.workspaceRoot, jobsRoot: config.jobsRoot, circuits: services.circuits, memory: services.memory,
    });
    events = new EventsRepository(services.database.db);
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** Runs a scripted conversation to its final answer; returns the run id and the final answer's step. */
  async function finishedRun(message: string, replies: ScriptedReply[], policy: Record<string, unknown> = {}): Promise<{ runId: string; step: number }> {
    const name = `checks-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: replies.map((reply, turn) => ({ turn, reply })) });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message, model: `local/${name}`, policy } });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const answers = transcript.body.messages.filter((entry: { message: { type: string } }) => entry.message.type === 'assistant');
    return { runId, step: answers.at(-1).step as number };
  }

  function scripted(rules: Array<Record<string, unknown>>): string {
    const name = `checker-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules });
    return name;
  }

  describe('reflectOnAnswer', () => {
    it('reports a low-confidence answer as below the threshold and the contradiction with an earlier answer', async () => {
      const { runId, step } = await finishedRun('How big is notes.txt?', [
        { text: 'notes.txt has 16 bytes. Let me double-check.', toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'x' } }] },
        { text: 'notes.txt has 20 bytes.' },
      ], { reflection: { enabled: false, threshold: 70 } });
      const reflector = scripted([{ promptIncludes: 'notes.txt has 20 bytes', reply: { text: JSON.stringify({
        reasoning: 'The answer gives a size without having measured it.', confidence: '35', contradiction: 'Earlier the assistant said notes.txt has 16 bytes.',
      }) } }]);

      const result = await activities.reflectOnAnswer({ runId, tenantId: harness.tenantIds.a, step, modelId: `local/${reflector}` });
      expect(result).toMatchObject({ confidence: 35, belowThreshold: true, contradiction: 'Earlier the assistant said notes.txt has 16 bytes.', model: `local/${reflector}` });
      expect(result.reasoning).toMatch(/without having measured/);
      // The earlier statement was put in front of the reflecting model.
      expect(JSON.stringify(harness.modelServer.requests({ model: `${reflector}*` })[0]?.body)).toContain('notes.txt has 16 bytes');
      const recorded = await events.findByDedupeKeys(runId, [`answer.reflected:${step}`]);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ type: 'answer.reflected', data: { step, confidence: 35, belowThreshold: true, threshold: 70 } });
    });

    it('passes a confident answer and returns the recorded reflection on a retry without a second event', async () => {
      const { runId, step } = await finishedRun('What is 6 times 7?', [{ text: 'The answer is 42.' }]);
      const reflector = scripted([{ reply: { text: '```json\n{"reasoning": "6 x 7 = 42", "confidence": 97, "contradiction": null}\n```' } }]);
      const input = { runId, tenantId: harness.tenantIds.a, step, modelId: `local/${reflector}` };

      const first = await activities.reflectOnAnswer(input);
      expect(first).toMatchObject({ confidence: 97, belowThreshold: false, contradiction: null });
      const retried = await activities.reflectOnAnswer(input);
      expect(retried).toEqual(first);
      expect(await events.findByDedupeKeys(runId, [`answer.reflected:${step}`])).toHaveLength(1);
    });

    it('fails safe when the reflection cannot be read: confidence 0, below the threshold', async () => {
      const { runId, step } = await finishedRun('Say hi', [{ text: 'Hi!' }]);
      const reflector = scripted([{ reply: { text: 'I am quite sure about it.' } }]);
      const result = await activities.reflectOnAnswer({ runId, tenantId: harness.tenantIds.a, step, modelId: `local/${reflector}` });
      expect(result).toMatchObject({ confidence: 0, belowThreshold: true, error: expect.stringMatching(/could not be read/) });
    });
  });

  describe('crossValidate', () => {
    it('agrees by normalised match when the models give the same answer in different forms', async () => {
      const { runId, step } = await finishedRun('How many bytes are in a kilobyte (decimal)?', [{ text: 'The answer is 1,000.' }]);
      const first = scripted([{ reply: { text: '1000' } }]);
      const second = scripted([{ reply: { text: '  1000.0 ' } }]);

      const result = await activities.crossValidate({ runId, tenantId: harness.tenantIds.a, step, models: [`local/${first}`, `local/${second}`] });
      expect(result).toMatchObject({ agreed: true, method: 'normalised', judgement: null });
      expect(result.answers.map((entry) => entry.answer)).toEqual(['The answer is 1,000.', '1000', '1000.0']);
      // The validators got the run's system prompt and the user's request, without tools.
      const body = harness.modelServer.requests({ model: `${first}*` })[0]?.body as { messages: unknown[]; tools?: unknown[] };
      expect(JSON.stringify(body.messages)).toContain('How many bytes are in a kilobyte');
      expect(body.tools ?? []).toEqual([]);
      expect(await events.findByDedupeKeys(runId, [`answer.cross-validated:${step}`])).toHaveLength(1);
    });

    it('consults the judge for free text that differs, and returns every answer when they disagree', async () => {
      const { runId, step } = await finishedRun('Which database should this small analytics service use?', [{ text: 'Use PostgreSQL: it handles the analytics queries well.' }]);
      const first = scripted([{ reply: { text: 'PostgreSQL is the best fit here.' } }]);
      const second = scripted([{ reply: { text: 'I would pick SQLite; a server is overkill.' } }]);
      const failing = scripted([{ fault: { status: 400, message: 'bad request on purpose' } }]);
      const judge = scripted([{ reply: { text: '{"agree": false, "reason": "Two answers recommend PostgreSQL, one recommends SQLite."}' } }]);

      const result = await activities.crossValidate({
        runId, tenantId: harness.tenantIds.a, step, models: [`local/${first}`, `local/${second}`, `local/${failing}`], judgeModel: `local/${judge}`,
      });
      expect(result).toMatchObject({ agreed: false, method: 'judge', judgement: { model: `local/${judge}`, agree: false, reason: expect.stringMatching(/SQLite/) } });
      expect(result.answers).toEqual([
        expect.objectContaining({ answer: 'Use PostgreSQL: it handles the analytics queries well.', final: true }),
        { model: `local/${first}`, answer: 'PostgreSQL is the best fit here.' },
        { model: `local/${second}`, answer: 'I would pick SQLite; a server is overkill.' },
        { model: `local/${failing}`, answer: null, error: expect.stringMatching(/bad request on purpose/) },
      ]);
      const judged = JSON.stringify(harness.modelServer.requests({ model: `${judge}*` })[0]?.body);
      expect(judged).toContain('I would pick SQLite');
    });

    it('agrees through the judge when free text says the same thing', async () => {
      const { runId, step } = await finishedRun('Is Paris the capital of France?', [{ text: 'Yes, Paris is the capital of France.' }]);
      const first = scripted([{ reply: { text: 'Yes.' } }]);
      const second = scripted([{ reply: { text: 'Correct, it is Paris.' } }]);
      const judge = scripted([{ reply: { text: '{"agree": true, "reason": "All confirm Paris."}' } }]);
      const result = await activities.crossValidate({ runId, tenantId: harness.tenantIds.a, step, models: [`local/${first}`, `local/${second}`], judgeModel: `local/${judge}` });
      expect(result).toMatchObject({ agreed: true, method: 'judge' });
    });
  });
});
