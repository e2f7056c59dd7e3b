// The predicted-outcome check in a real run over HTTP: asked to move the .txt files to backup/, the
// (scripted) model first tries `rm *.txt`; the small model predicts a delete, the check sees the
// request asks for a move, the call is not run and the model gets an error it can act on, and its
// corrected `mv` does what was asked. The files are never deleted.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { EventRecorder } from '../../activities/records/event-recorder';
import { RunPolicies } from '../../activities/records/run-policies';
import { executeToolCall, type ToolExecutionDeps } from '../../activities/tool-turn/tool-execution';
import { Workspaces } from '../../activities/tool-turn/workspaces';
import { createProvider } from '../../providers';
import { EventsRepository } from '../../stores/events-repository';
import { SemanticNotesPort } from '../../activities/tool-turn/notes-port';
import { SideEffectSnapshots } from '../../activities/tool-turn/snapshots/side-effect-snapshots';
import { RunsRepository } from '../../stores/runs-repository';
import { StepWritesRepository } from '../../stores/step-writes-repository';
import { ToolResultsRepository } from '../../stores/tool-results-repository';
import { createToolRegistry } from '../../tools';
import { UsageLedger } from '../../activities/records/usage-ledger';
import { UsageRepository } from '../../stores/usage-repository';
import { modelUsage } from '../../stores/schema';
import { and, eq } from 'drizzle-orm';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const DELETE_PREDICTION = { prediction: 'Deletes every .txt file in the workspace (a.txt and b.txt).', effects: ['delete'], matchesRequest: true, reason: 'The files are removed from the workspace.' };
const MOVE_PREDICTION = { prediction: 'Moves the .txt files into backup/.', effects: ['move', 'create'], matchesRequest: true, reason: 'As asked.' };

describe('the predicted-outcome check in a run', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('catches a delete where the request asks for a move, and the corrected command moves the files', async () => {
    const name = `predict-${ulid().toLowerCase()}`;
    const judge = `judge-${name}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [
          { name: 'write_file', arguments: { path: 'a.txt', content: 'alpha\n' } },
          { name: 'write_file', arguments: { path: 'b.txt', content: 'beta\n' } },
        ] } },
        { turn: 1, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'rm *.txt' } }] } },
        { turn: 2, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'mkdir -p backup && mv *.txt backup/' } }] } },
        { reply: { text: 'Moved the .txt files to backup/.' } },
      ],
    });
    // The small model: it even says the delete "matches"; the deterministic cross-check still catches it.
    harness.modelServer.addScenario({
      name: judge, models: `${judge}*`,
      rules: [
        { promptIncludes: 'rm *.txt', reply: { text: `\`\`\`json\n${JSON.stringify(DELETE_PREDICTION)}\n\`\`\`` } },
        { reply: { text: JSON.stringify(MOVE_PREDICTION) } },
      ],
    });

    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: 'Move all .txt files in the workspace to backup/', model: `local/${name}`, policy: { outcomePrediction: true, smallModel: `local/${judge}` } },
    });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');

    const workspace = path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId);
    expect(readdirSync(path.join(workspace, 'backup')).sort()).toEqual(['a.txt', 'b.txt']);
    expect(existsSync(path.join(workspace, 'a.txt'))).toBe(false);

    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const results = transcript.body.messages.filter((entry: { message: { type: string } }) => entry.message.type === 'tool-result').map((entry: { message: unknown }) => entry.message);
    expect(results[2]).toMatchObject({ toolName: 'bash', isError: true });
    expect(results[2].output).toMatch(/^Not run: this would delete but the request asks to move.*Predicted: Deletes every \.txt file.*Use a command that does what was asked\./su);
    expect(results[3]).toMatchObject({ toolName: 'bash', isError: false });

    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    const mismatches = events.filter((event) => event.event === 'tool-call.prediction-mismatch');
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]?.data.data).toMatchObject({ toolName: 'bash', arguments: { command: 'rm *.txt' }, model: `local/${judge}`, effects: ['delete'], conflicts: [expect.objectContaining({ effect: 'delete', intent: 'move' })] });
    const finished = events.filter((event) => event.event === 'tool-call.finished');
    expect(finished[2]?.data.data).toMatchObject({ isError: true, prediction: { verdict: 'mismatch', model: `local/${judge}` } });

    // The prediction request reached the small model, with the call and the user's request in it.
    const predictions = harness.modelServer.requests({ model: `${judge}*` });
    expect(predictions.length).toBeGreaterThanOrEqual(1);
    const asked = JSON.stringify(predictions[0]?.body);
    expect(asked).toContain('rm *.txt');
    expect(asked).toContain('Move all .txt files in the workspace to backup/');
  });

  /** Starts a run whose scripted model replies `replies` turn by turn, with `judge` as its small model; waits for it. */
  async function runWith(message: string, replies: Array<Record<string, unknown>>, judgeRules: Array<Record<string, unknown>>) {
    const name = `predict-${ulid().toLowerCase()}`;
    const judge = `judge-${name}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: replies.map((reply, turn) => ({ turn, reply })) });
    harness.modelServer.addScenario({ name: judge, models: `${judge}*`, rules: judgeRules });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message, model: `local/${name}`, policy: { smallModel: `local/${judge}` } } });
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    return { runId, run, judge, workspace: path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId) };
  }

  it('runs a delete the request asks for, with the prediction in its result', async () => {
    const { runId, run, workspace } = await runWith('Delete old.txt, it is not needed any more', [
      { toolCalls: [{ name: 'write_file', arguments: { path: 'old.txt', content: 'old\n' } }] },
      { toolCalls: [{ name: 'bash', arguments: { command: 'rm old.txt' } }] },
      { text: 'Deleted.' },
    ], [{ reply: { text: JSON.stringify({ prediction: 'Deletes old.txt.', effects: ['delete'], matchesRequest: true, reason: 'Asked for.' }) } }]);
    expect(run.status).toBe('completed');
    expect(existsSync(path.join(workspace, 'old.txt'))).toBe(false);
    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    expect(events.some((event) => event.event === 'tool-call.prediction-mismatch')).toBe(false);
    const finished = events.filter((event) => event.event === 'tool-call.finished');
    expect(finished[1]?.data.data).toMatchObject({ isError: false, prediction: { verdict: 'match', effects: ['delete'] } });
  });

  it('flags a destructive call for review when the prediction cannot be read, without crashing the step', async () => {
    const { runId, run } = await runWith('Tidy up the workspace', [
      { toolCalls: [{ name: 'write_file', arguments: { path: 'old.txt', content: 'old\n' } }] },
      { toolCalls: [{ name: 'bash', arguments: { command: 'rm old.txt' } }] },
      { text: 'Tidied.' },
    ], [{ reply: { text: 'Hmm, hard to say what that does.' } }]);
    expect(run.status).toBe('completed');
    const finished = (await readSse(harness.apiUrl, harness.keys.a, runId)).filter((event) => event.event === 'tool-call.finished');
    expect(finished[1]?.data.data.prediction).toMatchObject({ verdict: 'review', error: expect.stringMatching(/no JSON/) });
  });

  it('asks the small model once per call: a retried step gets the recorded result', async () => {
    const { runId, judge } = await runWith('Move a.txt to backup/', [{ text: 'Nothing to do.' }], [
      { reply: { text: JSON.stringify({ prediction: 'Deletes a.txt.', effects: ['delete'], matchesRequest: false, reason: 'Not a move.' }) } },
    ]);
    const db = harness.services.database.db;
    const deps: ToolExecutionDeps = {
      tools: createToolRegistry(), toolResults: new ToolResultsRepository(db), notes: new SemanticNotesPort(harness.services.memory),
      events: new EventRecorder(new EventsRepository(db), new StepWritesRepository(db), harness.services.bus),
      workspaces: new Workspaces(harness.config.workspaceRoot, harness.config.jobsRoot), policies: new RunPolicies(new RunsRepository(db)),
      catalog: harness.services.catalog, providerFor: createProvider, sideEffects: new SideEffectSnapshots(),
      ledger: new UsageLedger(new UsageRepository(db)),
    };
    const input = {
      runId, tenantId: harness.tenantIds.a, userId: 'user-a', step: 7, index: 0, allowedTools: ['bash'], heartbeat: () => undefined,
      call: { type: 'tool-call' as const, callId: 'call_7_0', toolName: 'bash', arguments: { command: 'rm a.txt' } },
      knownNew: false, deferRecord: false, modelId: 'local/unused', request: { first: 'Move a.txt to backup/', latest: 'Move a.txt to backup/' },
    };
    const first = await executeToolCall(deps, input);
    const retried = await executeToolCall(deps, input);
    expect(first.result?.isError).toBe(true);
    expect(first.result?.output).toMatch(/^Not run: /u);
    expect(retried.result).toEqual(first.result);
    expect(harness.modelServer.requests({ model: `${judge}*` })).toHaveLength(1);
    const recorded = await new EventsRepository(db).findByDedupeKeys(runId, ['tool-call.prediction-mismatch:s7_0_call_7_0', 'tool-call.finished:s7_0_call_7_0']);
    expect(recorded.map((event) => event.type)).toEqual(['tool-call.prediction-mismatch', 'tool-call.finished']);
    // The one prediction is one ledger row, keyed by the call: the retry adds none.
    const ledger = await db.select().from(modelUsage).where(and(eq(modelUsage.runId, runId), eq(modelUsage.purpose, 'prediction')));
    expect(ledger.map((row) => [row.usageKey, row.step])).toEqual([[`${runId}:7:prediction:s7_0_call_7_0`, 7]]);
  });
});
