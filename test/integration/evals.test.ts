// Evals over recorded runs end to end: runs answered by scripted model-server scenarios are scored
// over the API with each deterministic scorer passing and failing, with a rubric whose judge (its own
// scenario) grades a pass and a fail, live on an agent's sampled runs (rate 1: every run, a
// `score.recorded` event per scorer; rate 0: none), and summed per agent.
import { eq } from 'drizzle-orm';
import { ulid } from 'ulid';
import { scoreRun } from '../../activities/checks/run-scoring';
import { EventRecorder } from '../../activities/records/event-recorder';
import { scorersSchema } from '../../core/evals';
import { SCORING_ATTEMPTS } from '../../core/retry-policies';
import { createProvider } from '../../providers';
import { AgentsRepository } from '../../stores/agents-repository';
import { EventsRepository } from '../../stores/events-repository';
import { RunsRepository } from '../../stores/runs-repository';
import { UsageLedger } from '../../activities/records/usage-ledger';
import { UsageRepository } from '../../stores/usage-repository';
import { ScoresRepository } from '../../stores/scores-repository';
import { modelUsage } from '../../stores/schema';
import { StepWritesRepository } from '../../stores/step-writes-repository';
import { TranscriptRepository } from '../../stores/transcript-repository';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

const TOTAL_SCHEMA = { type: 'object', properties: { total: { type: 'integer' } }, required: ['total'], additionalProperties: false };

type Score = { scorer: string; kind: string; score: number; passed: boolean; reason: string; source: string; scoringId: string; judgeModel: string | null };

describe('evals over recorded runs', () => {
  let harness: Harness;
  let model: string;

  beforeAll(async () => {
    harness = await startHarness();
    model = `eval-${ulid().toLowerCase()}`;
    // Every run writes report.txt with write_file, then answers with JSON.
    harness.modelServer.addScenario({
      name: model,
      models: `${model}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'report.txt', content: 'total: 42\n' } }] } },
        { reply: { text: '{"total": 42}' } },
      ],
    } as never);
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  /** A judge model whose every grade is `reply` (or that always fails with `status`). */
  function judge(reply: string | { status: number }): string {
    const name = `judge-${ulid().toLowerCase()}`;
    const rule = typeof reply === 'string' ? { reply: { text: reply } } : { fault: { status: reply.status } };
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [rule] } as never);
    return `local/${name}`;
  }

  async function finishedRun(body: Record<string, unknown> = {}): Promise<string> {
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Add up the numbers and report the total.', model: `local/${model}`, tools: ['write_file', 'read_file'], ...body } });
    expect(started.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, started.body.id, 90_000);
    expect(run.status).toBe('completed');
    return started.body.id as string;
  }

  async function score(runId: string, body: unknown): Promise<{ status: number; body: any }> {
    return api(harness.apiUrl, 'POST', `/v1/runs/${runId}/scores`, { key: harness.keys.a, body });
  }

  const byScorer = (scores: Score[]) => Object.fromEntries(scores.map((entry) => [entry.scorer, entry]));

  it('passes every deterministic scorer the run satisfies and fails each one it does not, with the reason', async () => {
    const runId = await finishedRun();
    const passing = await score(runId, {
      scorers: [
        { kind: 'answer_regex', pattern: '"total":\\s*42' },
        { kind: 'answer_json_schema', schema: TOTAL_SCHEMA },
        { kind: 'tool_used', tool: 'write_file' },
        { kind: 'tool_not_used', tool: 'bash' },
        { kind: 'workspace_file', name: 'report-equals', path: 'report.txt', equals: 'total: 42\n' },
        { kind: 'workspace_file', name: 'report-contains', path: 'report.txt', contains: '42' },
        { kind: 'workspace_file', name: 'report-regex', path: 'report.txt', regex: '^total: \\d+$', flags: 'm' },
      ],
    });
    expect(passing.status).toBe(201);
    expect(passing.body.scoringId).toMatch(/^scoring_/);
    expect(passing.body.scores).toHaveLength(7);
    for (const entry of passing.body.scores as Score[]) {
      expect({ scorer: entry.scorer, score: entry.score, passed: entry.passed }).toEqual({ scorer: entry.scorer, score: 1, passed: true });
    }

    const failed = await score(runId, {
      scorers: [
        { kind: 'answer_regex', pattern: '^forty-two$', flags: 'i' },
        { kind: 'answer_json_schema', schema: { ...TOTAL_SCHEMA, properties: { total: { type: 'string' } } } },
        { kind: 'tool_used', tool: 'bash' },
        { kind: 'tool_not_used', tool: 'write_file' },
        { kind: 'workspace_file', name: 'report-equals', path: 'report.txt', equals: 'total: 41\n' },
        { kind: 'workspace_file', name: 'report-contains', path: 'report.txt', contains: 'grand total' },
        { kind: 'workspace_file', name: 'missing-file', path: 'summary.md' },
      ],
    });
    expect(failed.status).toBe(201);
    const verdicts = byScorer(failed.body.scores);
    expect(Object.values(verdicts).map((entry) => [entry.scorer, entry.score, entry.passed])).toEqual(
      ['answer_json_schema', 'answer_regex', 'missing-file', 'report-contains', 'report-equals', 'tool_not_used', 'tool_used'].map((name) => [name, 0, false]),
    );
    expect(verdicts.answer_regex!.reason).toContain('does not match /^forty-two$/i');
    expect(verdicts.answer_json_schema!.reason).toContain('total: must be string');
    expect(verdicts.tool_used!.reason).toBe('the run never called bash (called: write_file)');
    expect(verdicts.tool_not_used!.reason).toBe('the run called write_file');
    expect(verdicts['report-equals']!.reason).toContain('report.txt holds "total: 42\\n"');
    expect(verdicts['missing-file']!.reason).toBe('the workspace has no file summary.md');

    // Both scorings are the run's, in the order they were made, each as a score.recorded event.
    const listed = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/scores`, { key: harness.keys.a });
    expect(listed.status).toBe(200);
    expect(listed.body.scores).toHaveLength(14);
    expect(new Set(listed.body.scores.map((entry: Score) => entry.scoringId))).toEqual(new Set([passing.body.scoringId, failed.body.scoringId]));
    const events = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/events/list?limit=1000`, { key: harness.keys.a });
    const recorded = events.body.events.filter((event: { type: string }) => event.type === 'score.recorded');
    expect(recorded).toHaveLength(14);
    expect(recorded.filter((event: { data: { passed: boolean } }) => event.data.passed)).toHaveLength(7);
    expect(recorded.every((event: { data: { source: string } }) => event.data.source === 'request')).toBe(true);
  }, 180_000);

  it('grades with a rubric judge: a grade at or above the threshold passes, one below fails, an unreadable one fails', async () => {
    const runId = await finishedRun();
    const generous = judge('{"score": 0.9, "reason": "States the total clearly."}');
    const strict = judge('```json\n{"score": 0.2, "reason": "No working is shown."}\n```');
    const confused = judge('I would give it a B.');
    const down = judge({ status: 500 });
    const scored = await score(runId, {
      scorers: [
        { kind: 'rubric', name: 'clear', model: generous, rubric: 'The answer states the total as a number.' },
        { kind: 'rubric', name: 'shows-work', model: strict, rubric: 'The answer shows how the total was reached.', passThreshold: 0.5 },
        { kind: 'rubric', name: 'unreadable', model: confused, rubric: 'Anything.' },
        { kind: 'rubric', name: 'judge-down', model: down, rubric: 'Anything.' },
      ],
      expected: { total: 42 },
    });
    expect(scored.status).toBe(201);
    const verdicts = byScorer(scored.body.scores);
    expect(verdicts.clear).toMatchObject({ kind: 'rubric', score: 0.9, passed: true, reason: 'States the total clearly.', judgeModel: generous });
    expect(verdicts['shows-work']).toMatchObject({ score: 0.2, passed: false, reason: 'No working is shown.', judgeModel: strict });
    expect(verdicts.unreadable).toMatchObject({ score: 0, passed: false });
    expect(verdicts.unreadable!.reason).toContain("the judge's grade could not be read");
    // Retried, then a failing score that says why: a batch eval always gets an answer.
    expect(verdicts['judge-down']).toMatchObject({ score: 0, passed: false, judgeModel: null });
    expect(verdicts['judge-down']!.reason).toContain(`the judge ${down} could not grade the answer`);
    expect(harness.modelServer.requests({ model: down.replace('local/', '') }).length).toBeGreaterThanOrEqual(3);

    // The judge saw the request, the reference, the answer and the rubric.
    const [request] = harness.modelServer.requests({ model: generous.replace('local/', '') }) as Array<{ body: { messages: Array<{ role: string; content: unknown }> } }>;
    const prompt = request!.body.messages.map((message) => String(message.content)).join('\n');
    expect(prompt).toContain('Add up the numbers and report the total.');
    expect(prompt).toContain('expected to be (a reference, JSON):\n{"total":42}');
    expect(prompt).toContain('The answer to grade:\n{"total": 42}');
    expect(prompt).toContain('The answer states the total as a number.');
  }, 180_000);

  it('writes each score of a scoring once and asks the judge once, however often the scoring activity is retried', async () => {
    const runId = await finishedRun();
    const grader = judge('{"score": 1, "reason": "Fine."}');
    const db = harness.services.database.db;
    const recorded = new EventsRepository(db);
    const deps = {
      catalog: harness.services.catalog, providerFor: createProvider,
      runs: new RunsRepository(db), agents: new AgentsRepository(db), transcripts: new TranscriptRepository(db), scores: new ScoresRepository(db),
      events: new EventRecorder(recorded, new StepWritesRepository(db), harness.services.bus),
      workspaceRoot: harness.config.workspaceRoot,
      ledger: new UsageLedger(new UsageRepository(db)),
    };
    const input = {
      runId, tenantId: harness.tenantIds.a, scoringId: `scoring_${ulid()}`, source: 'request' as const,
      scorers: scorersSchema.parse([{ kind: 'rubric', model: grader, rubric: 'Any answer.' }, { kind: 'tool_used', tool: 'write_file' }]),
    };
    const first = await scoreRun(deps, input, 1);
    const again = await scoreRun(deps, input, SCORING_ATTEMPTS);
    expect(again).toEqual(first);
    expect(first.scores.map((entry) => [entry.scorer, entry.passed])).toEqual([['rubric', true], ['tool_used', true]]);
    expect(harness.modelServer.requests({ model: grader.replace('local/', '') })).toHaveLength(1);
    // The judge's one call is in the usage ledger once, under the run, as an eval.
    const ledger = await db.select().from(modelUsage).where(eq(modelUsage.runId, runId));
    expect(ledger.filter((row) => row.purpose === 'eval').map((row) => row.model)).toEqual([grader]);
    const events = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/events/list?limit=1000`, { key: harness.keys.a });
    expect(events.body.events.filter((event: { type: string }) => event.type === 'score.recorded')).toHaveLength(2);
    // Another tenant's id does not reach the run.
    await expect(scoreRun(deps, { ...input, tenantId: harness.tenantIds.b, scoringId: `scoring_${ulid()}` }, 1)).rejects.toThrow(/not found for tenant/);
  }, 120_000);

  it('scores every completed run of an agent sampled at rate 1 live, and none at rate 0, and sums them per agent', async () => {
    const sampled = `eval-all-${ulid().toLowerCase().slice(-8)}`;
    const unsampled = `eval-none-${ulid().toLowerCase().slice(-8)}`;
    const scorers = [{ kind: 'answer_json_schema', name: 'json', schema: TOTAL_SCHEMA }, { kind: 'tool_used', tool: 'bash' }];
    for (const [name, rate] of [[sampled, 1], [unsampled, 0]] as const) {
      const saved = await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name, model: `local/${model}`, tools: ['write_file', 'read_file'], scorers, evalSampleRate: rate } });
      expect(saved.status).toBe(201);
      expect(saved.body.settings).toMatchObject({ evalSampleRate: rate, scorers: [{ kind: 'answer_json_schema', name: 'json' }, { kind: 'tool_used', tool: 'bash' }] });
    }
    const live = [await finishedRun({ agent: sampled, model: undefined, tools: undefined }), await finishedRun({ agent: sampled, model: undefined, tools: undefined })];
    const quiet = await finishedRun({ agent: unsampled, model: undefined, tools: undefined });

    for (const runId of live) {
      // Scored after the run's outcome, before its workflow closes.
      await harness.api.client.workflow.getHandle(runId).result();
      const listed = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/scores`, { key: harness.keys.a });
      expect(listed.body.scores.map((entry: Score) => [entry.scorer, entry.passed, entry.source, entry.scoringId])).toEqual([
        ['json', true, 'live', 'live'],
        ['tool_used', false, 'live', 'live'],
      ]);
      const events = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/events/list?limit=1000`, { key: harness.keys.a });
      const types = events.body.events.map((event: { type: string }) => event.type);
      expect(types.filter((type: string) => type === 'score.recorded')).toHaveLength(2);
      // After the terminal event: the run was completed before it was scored.
      expect(types.indexOf('run.completed')).toBeLessThan(types.indexOf('score.recorded'));
    }
    await harness.api.client.workflow.getHandle(quiet).result();
    const none = await api(harness.apiUrl, 'GET', `/v1/runs/${quiet}/scores`, { key: harness.keys.a });
    expect(none.body.scores).toEqual([]);
    await recordHistoryIfAsked(harness.api.client, live[0]!, 'live-scoring', 'live-scoring');

    // The unsampled agent's run is scored with its agent's scorers when asked.
    const asked = await score(quiet, {});
    expect(asked.status).toBe(201);
    expect(asked.body.scores.map((entry: Score) => [entry.scorer, entry.passed, entry.source])).toEqual([['json', true, 'request'], ['tool_used', false, 'request']]);

    const summary = await api(harness.apiUrl, 'GET', `/v1/agents/${sampled}/scores`, { key: harness.keys.a });
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      agent: sampled,
      version: null,
      source: null,
      scorers: [{ scorer: 'json', n: 2, mean: 1, passRate: 1 }, { scorer: 'tool_used', n: 2, mean: 0, passRate: 0 }],
      overall: { n: 4, mean: 0.5, passRate: 0.5 },
    });
    const versioned = await api(harness.apiUrl, 'GET', `/v1/agents/${sampled}/scores?version=2`, { key: harness.keys.a });
    expect(versioned.status).toBe(404);
    // The unsampled agent's only scores were asked for: none of them are live.
    const quietLive = await api(harness.apiUrl, 'GET', `/v1/agents/${unsampled}/scores?version=1&source=live`, { key: harness.keys.a });
    expect(quietLive.body).toMatchObject({ version: 1, source: 'live', scorers: [], overall: { n: 0, mean: 0, passRate: 0 } });
    const quietAsked = await api(harness.apiUrl, 'GET', `/v1/agents/${unsampled}/scores?source=request`, { key: harness.keys.a });
    expect(quietAsked.body.overall).toEqual({ n: 2, mean: 0.5, passRate: 0.5 });
    const badSource = await api(harness.apiUrl, 'GET', `/v1/agents/${unsampled}/scores?source=guess`, { key: harness.keys.a });
    expect(badSource.status).toBe(400);
  }, 240_000);

  it('answers bad scoring requests with a 4xx naming the problem', async () => {
    const runId = await finishedRun();
    const cases: Array<[unknown, number, string, string]> = [
      [{ scorers: [{ kind: 'answer_regex', pattern: '(' }] }, 400, 'invalid_request', 'regular expression'],
      [{ scorers: [{ kind: 'rubric', model: 'local/x', rubric: 'ok', passThreshold: 2 }] }, 400, 'invalid_request', 'passThreshold'],
      [{ scorers: [{ kind: 'tool_used', tool: 'bash' }, { kind: 'tool_used', tool: 'read_file' }] }, 400, 'invalid_request', 'distinct name'],
      [{ scorers: [{ kind: 'workspace_file', path: '/etc/passwd' }] }, 400, 'invalid_request', 'relative to the workspace'],
      [{ scorers: [{ kind: 'workspace_file', path: 'nested/../../escape.txt' }] }, 400, 'invalid_request', 'without \\"..\\"'],
      [{ scorers: [{ kind: 'sentiment' }] }, 400, 'invalid_request', 'scorers'],
      [{ scorers: [{ kind: 'rubric', model: 'nowhere/judge', rubric: 'ok' }] }, 400, 'unknown_model', 'nowhere/judge'],
      [{}, 400, 'no_scorers', 'started from no agent'],
    ];
    for (const [body, status, code, words] of cases) {
      const answer = await score(runId, body);
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({ body, status, code });
      expect(JSON.stringify(answer.body.error)).toContain(words);
    }
    const unknownRun = await score(`run_${ulid()}`, { scorers: [{ kind: 'tool_used', tool: 'bash' }] });
    expect(unknownRun.status).toBe(404);
    // A run still working (here: waiting for a human to allow its write) is not scored yet.
    const waiting = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: 'Add up the numbers.', model: `local/${model}`, tools: ['write_file'], policy: { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false } },
    });
    await waitForReview(harness.apiUrl, harness.keys.a, waiting.body.id);
    const early = await score(waiting.body.id, { scorers: [{ kind: 'tool_used', tool: 'bash' }] });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'run_not_finished', details: { status: 'awaiting_review' } });
    await api(harness.apiUrl, 'POST', `/v1/runs/${waiting.body.id}/cancel`, { key: harness.keys.a, body: { reason: 'done probing' } });
    const badAgent = await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name: `eval-bad-${ulid().toLowerCase().slice(-8)}`, evalSampleRate: 1.5, scorers: [] } });
    expect(badAgent.status).toBe(400);
    expect(JSON.stringify(badAgent.body.error)).toContain('evalSampleRate');
    const unknownJudge = await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name: `eval-bad-${ulid().toLowerCase().slice(-8)}`, scorers: [{ kind: 'rubric', model: 'nowhere/judge', rubric: 'ok' }] } });
    expect(unknownJudge.status).toBe(400);
    expect(unknownJudge.body.error).toMatchObject({ code: 'unknown_model', details: { field: 'scorers[0].model' } });
  }, 120_000);
});
