// Forking a run from a step, end to end on real Temporal, PostgreSQL (and PGlite) and the scripted model server:
// the fork's model sees the parent's transcript up to step k (read by reference, never copied into
// its history) and its new message, its workspace is the parent's as it was at step k, the parent is
// untouched, and forks that cannot be honest about the files are refused.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';

/** Every text in a history's payloads, decoded (history JSON holds them as bytes). */
function payloadTexts(value: unknown, into: string[] = []): string[] {
  if (value instanceof Uint8Array) into.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) for (const item of value) payloadTexts(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) payloadTexts(item, into);
  return into;
}

describe.each(['postgres', 'pglite'] as const)('forking a run from a step on %s', (database) => {
  let harness: Harness;
  const id = ulid().toLowerCase();
  const parentModel = `fork-parent-${id}`;
  const childModel = `fork-child-${id}`;
  const parentMessage = `PARENT-FIRST-MESSAGE-${id}: write the notes`;
  const stepThreeMarker = `STEP-THREE-MARKER-${id}`;
  let parentId: string;

  const workspaceOf = (runId: string, tenant: 'a' | 'b' = 'a') => path.join(harness.config.workspaceRoot, harness.tenantIds[tenant], runId);
  const fork = (runId: string, body: unknown, key = harness.keys.a) => api(harness.apiUrl, 'POST', `/v1/runs/${runId}/fork`, { key, body });

  beforeAll(async () => {
    harness = await startHarness({ database });
    harness.modelServer.addScenario({
      name: parentModel,
      models: `${parentModel}*`,
      rules: [
        { turn: 0, reply: { text: 'Step one.', toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'version 1\n' } }] } },
        {
          turn: 1,
          reply: {
            text: 'Step two.',
            toolCalls: [
              { name: 'write_file', arguments: { path: 'notes.txt', content: 'version 2\n' } },
              { name: 'bash', arguments: { command: 'mkdir -p data && printf "two\\n" > data/two.txt' } },
            ],
          },
        },
        { turn: 2, reply: { text: `Step three ${stepThreeMarker}.`, toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: `version 3 ${stepThreeMarker}\n` } }, { name: 'write_file', arguments: { path: 'data/three.txt', content: 'three\n' } }] } },
        { reply: { text: 'Parent done.' } },
      ],
    });
    // The fork's model reads the notes it inherited, then answers with what it read.
    harness.modelServer.addScenario({
      name: childModel,
      models: `${childModel}*`,
      rules: [
        { lastMessageIncludes: 'FORK-MESSAGE', reply: { text: 'Reading the notes.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] } },
        { reply: { text: 'Fork done.' } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: parentMessage, model: `local/${parentModel}`, stream: false } });
    expect(created.status).toBe(202);
    parentId = created.body.id;
    const parent = await waitForRun(harness.apiUrl, harness.keys.a, parentId);
    expect(parent.status).toBe('completed');
    expect(parent.step).toBe(4);
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it("continues from step 2 with the parent's messages up to it, the new message and the parent's files as they were then", async () => {
    const parentMessagesBefore = await api(harness.apiUrl, 'GET', `/v1/runs/${parentId}/messages?limit=500`, { key: harness.keys.a });
    const forkMessage = `FORK-MESSAGE-${id}: check the notes again`;
    const created = await fork(parentId, { fromStep: 2, message: forkMessage, overrides: { model: `local/${childModel}` } });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ parentRunId: parentId, forkedFromStep: 2, model: `local/${childModel}` });
    const forkId: string = created.body.id;
    expect(forkId).not.toBe(parentId);

    const finished = await waitForRun(harness.apiUrl, harness.keys.a, forkId);
    expect(finished).toMatchObject({ status: 'completed', parentRunId: parentId, forkedFromStep: 2, outcome: { answer: 'Fork done.' } });
    // Its own steps are 3 and 4: it continued the parent's numbering.
    expect(finished.step).toBe(4);

    // The fork's first model request: the parent's conversation through step 2, then the new message; nothing of step 3.
    const [first] = harness.modelServer.requests({ model: `${childModel}*` });
    const sent = JSON.stringify(first?.body);
    expect(sent).toContain(parentMessage);
    expect(sent).toContain('Step two.');
    expect(sent).toContain('version 2');
    expect(sent).toContain(forkMessage);
    expect(sent).not.toContain(stepThreeMarker);
    expect(sent).not.toContain('Parent done.');
    expect(sent.indexOf('Step two.')).toBeLessThan(sent.indexOf(forkMessage));

    // The read_file of the fork's step 3 saw step 2's notes, and the workspace is step 2's: step 3's writes are not there.
    const forkWorkspace = workspaceOf(forkId);
    expect(readFileSync(path.join(forkWorkspace, 'notes.txt'), 'utf8')).toBe('version 2\n');
    expect(readFileSync(path.join(forkWorkspace, 'data', 'two.txt'), 'utf8')).toBe('two\n');
    expect(existsSync(path.join(forkWorkspace, 'data', 'three.txt'))).toBe(false);
    const forkTranscript = await api(harness.apiUrl, 'GET', `/v1/runs/${forkId}/messages?limit=500`, { key: harness.keys.a });
    const readResult = forkTranscript.body.messages.find((entry: any) => entry.step === 3 && entry.message.type === 'tool-result');
    expect(readResult.message.output).toContain('version 2');

    // The fork's transcript is the parent's rows through step 2 (same seqs), then its own, numbered after them.
    const inherited = parentMessagesBefore.body.messages.filter((entry: any) => entry.step <= 2);
    expect(forkTranscript.body.messages.slice(0, inherited.length)).toEqual(inherited);
    const own = forkTranscript.body.messages.slice(inherited.length);
    expect(own[0]).toMatchObject({ step: 3, seq: inherited[inherited.length - 1].seq + 1, message: { type: 'user', text: forkMessage } });
    expect(own.every((entry: any) => entry.step >= 3)).toBe(true);

    // Full tool outputs are inherited by reference too, up to the fork's step: step 2's bash call, not step 3's writes.
    const inheritedOutput = await api(harness.apiUrl, 'GET', `/v1/runs/${forkId}/tool-outputs/call_1_1?step=2`, { key: harness.keys.a });
    expect(inheritedOutput.status).toBe(200);
    expect(inheritedOutput.body).toMatchObject({ toolName: 'bash', reference: expect.stringMatching(/^s2_1_call_1_1$/) });
    const byReference = await api(harness.apiUrl, 'GET', `/v1/runs/${forkId}/tool-outputs/s1_0_call_0_0`, { key: harness.keys.a });
    expect(byReference.body).toMatchObject({ toolName: 'write_file' });
    // Step 3 is the fork's own: its read_file under the reference the parent's write_file also has, and not the parent's second call.
    const ownStepThree = await api(harness.apiUrl, 'GET', `/v1/runs/${forkId}/tool-outputs/s3_0_call_2_0`, { key: harness.keys.a });
    expect(ownStepThree.body).toMatchObject({ toolName: 'read_file' });
    expect((await api(harness.apiUrl, 'GET', `/v1/runs/${parentId}/tool-outputs/s3_1_call_2_1`, { key: harness.keys.a })).status).toBe(200);
    expect((await api(harness.apiUrl, 'GET', `/v1/runs/${forkId}/tool-outputs/s3_1_call_2_1`, { key: harness.keys.a })).status).toBe(404);
    expect((await api(harness.apiUrl, 'GET', `/v1/runs/${forkId}/tool-outputs/call_2_1?step=3`, { key: harness.keys.a })).status).toBe(404);

    // The fork says what it continues.
    const events = await api(harness.apiUrl, 'GET', `/v1/runs/${forkId}/events/list?limit=200`, { key: harness.keys.a });
    const types = events.body.events.map((event: any) => event.type);
    expect(types.slice(0, 2)).toEqual(['run.started', 'run.forked']);
    expect(events.body.events[1].data).toMatchObject({ parentRunId: parentId, fromStep: 2, workspaceFrom: { runId: parentId, step: 2 } });
    expect(events.body.events[1].data.restoredEntries).toBeGreaterThanOrEqual(3);

    // The parent is unchanged: its transcript, its files and its record.
    const parentMessagesAfter = await api(harness.apiUrl, 'GET', `/v1/runs/${parentId}/messages?limit=500`, { key: harness.keys.a });
    expect(parentMessagesAfter.body).toEqual(parentMessagesBefore.body);
    expect(readFileSync(path.join(workspaceOf(parentId), 'notes.txt'), 'utf8')).toBe(`version 3 ${stepThreeMarker}\n`);
    expect(readFileSync(path.join(workspaceOf(parentId), 'data', 'three.txt'), 'utf8')).toBe('three\n');
    const parent = await api(harness.apiUrl, 'GET', `/v1/runs/${parentId}`, { key: harness.keys.a });
    expect(parent.body).toMatchObject({ status: 'completed', step: 4, parentRunId: null, forkedFromStep: null, outcome: { answer: 'Parent done.' } });

    // Claim check: the fork's history carries its own message, and none of the parent's text.
    const history = await harness.api.client.workflow.getHandle(forkId).fetchHistory();
    const texts = payloadTexts(history).join('\n');
    expect(texts).toContain(forkMessage);
    expect(texts).not.toContain(parentMessage);
    expect(texts).not.toContain('version 1');
    expect(texts).not.toContain('Step two.');
    // A fork starts like a continued run: its history keeps replaying (test/replay).
    if (database === 'postgres') await recordHistoryIfAsked(harness.api.client, forkId, 'forked-from-step-2', 'run-forks');
  }, 120_000);

  it("forks a fork from a step of the original run, with the original's files at that step", async () => {
    const first = await fork(parentId, { fromStep: 2, message: `FORK-MESSAGE-${id}-a: read again`, overrides: { model: `local/${childModel}` } });
    const firstFork = await waitForRun(harness.apiUrl, harness.keys.a, first.body.id);
    expect(firstFork.status).toBe('completed');

    const second = await fork(firstFork.id, { fromStep: 1, message: `FORK-MESSAGE-${id}-b: from the very first step`, overrides: { model: `local/${childModel}` } });
    expect(second.status).toBe(202);
    const secondFork = await waitForRun(harness.apiUrl, harness.keys.a, second.body.id);
    expect(secondFork).toMatchObject({ status: 'completed', parentRunId: firstFork.id, forkedFromStep: 1 });
    expect(readFileSync(path.join(workspaceOf(secondFork.id), 'notes.txt'), 'utf8')).toBe('version 1\n');
    expect(existsSync(path.join(workspaceOf(secondFork.id), 'data'))).toBe(false);
    const sent = JSON.stringify(harness.modelServer.requests({ model: `${childModel}*` }).find((request) => JSON.stringify(request.body).includes(`${id}-b`))?.body);
    expect(sent).toContain(parentMessage);
    expect(sent).not.toContain('Step two.');

    // From the fork's own step 3, a read_file only: the workspace is the one the original's step 2 left.
    const third = await fork(firstFork.id, { fromStep: 3, message: `FORK-MESSAGE-${id}-c: once more`, overrides: { model: `local/${childModel}` } });
    expect(third.status).toBe(202);
    const thirdFork = await waitForRun(harness.apiUrl, harness.keys.a, third.body.id);
    expect(thirdFork.status).toBe('completed');
    expect(readFileSync(path.join(workspaceOf(thirdFork.id), 'notes.txt'), 'utf8')).toBe('version 2\n');
    const events = await api(harness.apiUrl, 'GET', `/v1/runs/${thirdFork.id}/events/list?limit=200`, { key: harness.keys.a });
    expect(events.body.events.find((event: any) => event.type === 'run.forked').data.workspaceFrom).toEqual({ runId: parentId, step: 2 });
  }, 180_000);

  it("replaces the system prompt when the fork overrides the instructions, for the fork and its own forks only", async () => {
    const prompt = `FORK-SYSTEM-PROMPT-${id}: be terse`;
    const created = await fork(parentId, { fromStep: 1, message: `FORK-MESSAGE-${id}-prompt: read`, overrides: { model: `local/${childModel}`, instructions: prompt } });
    expect(created.status).toBe(202);
    const forked = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    expect(forked.status).toBe('completed');
    const request = harness.modelServer.requests({ model: `${childModel}*` }).find((candidate) => JSON.stringify(candidate.body).includes(`${id}-prompt`));
    const sent = JSON.stringify(request?.body);
    expect(sent).toContain(prompt);
    expect(sent).not.toContain('You are Keel, a careful software agent');
    const messages = await api(harness.apiUrl, 'GET', `/v1/runs/${forked.id}/messages`, { key: harness.keys.a });
    expect(messages.body.messages[0].message).toEqual({ type: 'system', text: prompt });
    // The parent keeps its own prompt; a fork of the fork inherits the replacement.
    const parentMessages = await api(harness.apiUrl, 'GET', `/v1/runs/${parentId}/messages`, { key: harness.keys.a });
    expect(parentMessages.body.messages[0].message.text).toContain('You are Keel, a careful software agent');
    const grandchild = await fork(forked.id, { fromStep: 2, message: `FORK-MESSAGE-${id}-grandchild: read`, overrides: { model: `local/${childModel}` } });
    const grandchildMessages = await api(harness.apiUrl, 'GET', `/v1/runs/${grandchild.body.id}/messages`, { key: harness.keys.a });
    expect(grandchildMessages.body.messages[0].message).toEqual({ type: 'system', text: prompt });
    await waitForRun(harness.apiUrl, harness.keys.a, grandchild.body.id);
  }, 120_000);

  it('refuses with 409 a fork whose step kept no workspace snapshot', async () => {
    const name = `fork-nosnap-${id}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'kept.txt', content: 'not kept\n' } }] } },
        { reply: { text: 'Done without snapshots.' } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'write without snapshots', model: `local/${name}`, stream: false, policy: { stepSnapshots: false } } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    expect(run.status).toBe('completed');
    const refused = await fork(run.id, { fromStep: 1, message: 'continue' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'no_workspace_snapshot', details: { runId: run.id, step: 1, fromStep: 1 } });
    expect(refused.body.error.message).toContain('stepSnapshots');
    // The answer step (2) ran no tools, but the workspace it stood on is step 1's: refused the same way.
    const fromAnswer = await fork(run.id, { fromStep: 2, message: 'continue' });
    expect(fromAnswer.status).toBe(409);
    expect(fromAnswer.body.error.code).toBe('no_workspace_snapshot');
  }, 120_000);

  it('refuses with 409 a fork whose step snapshot could not keep a file, naming it', async () => {
    const name = `fork-bigfile-${id}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'yes keel | head -c 9000000 > big.bin' } }, { name: 'write_file', arguments: { path: 'small.txt', content: 'small\n' } }] } },
        { reply: { text: 'Wrote a big file.' } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'write a big file', model: `local/${name}`, stream: false } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    expect(run.status).toBe('completed');
    const refused = await fork(run.id, { fromStep: 1, message: 'continue' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'workspace_not_restorable', details: { runId: run.id, step: 1, unrestorable: ['big.bin'], truncated: false } });
    expect(refused.body.error.message).toContain('big.bin');
  }, 120_000);

  it('answers 400 naming the problem for a step the parent does not have, a bad step or a missing message', async () => {
    const beyond = await fork(parentId, { fromStep: 5, message: 'too far' });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error).toMatchObject({ code: 'step_out_of_range', details: { field: 'fromStep', fromStep: 5, lastStep: 4 } });
    for (const fromStep of [-1, 0, 1.5, '2']) {
      const bad = await fork(parentId, { fromStep, message: 'bad step' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.error)).toContain('fromStep');
    }
    const afterAnswer = await fork(parentId, { fromStep: 4 });
    expect(afterAnswer.status).toBe(400);
    expect(afterAnswer.body.error).toMatchObject({ code: 'message_required', details: { field: 'message' } });
    const unknownModel = await fork(parentId, { fromStep: 2, overrides: { model: 'local-nope/none' } });
    expect(unknownModel.status).toBe(400);
    expect(unknownModel.body.error).toMatchObject({ code: 'unknown_model', details: { field: 'overrides.model' } });
    const unknownField = await fork(parentId, { fromStep: 2, overrides: { tools: [] } });
    expect(unknownField.status).toBe(400);
  });

  it('returns the first fork for a repeated Idempotency-Key instead of forking again', async () => {
    const key = `fork-key-${id}-${database}`;
    const body = { fromStep: 2, message: `FORK-MESSAGE-${id}-idempotent: read`, overrides: { model: `local/${childModel}` } };
    const first = await api(harness.apiUrl, 'POST', `/v1/runs/${parentId}/fork`, { key: harness.keys.a, body, headers: { 'idempotency-key': key } });
    const again = await api(harness.apiUrl, 'POST', `/v1/runs/${parentId}/fork`, { key: harness.keys.a, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('location')).toBe(`/v1/runs/${first.body.id}`);
    const bad = await api(harness.apiUrl, 'POST', `/v1/runs/${parentId}/fork`, { key: harness.keys.a, body, headers: { 'idempotency-key': 'has spaces' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ field: 'headers.idempotency-key' });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, first.body.id)).status).toBe('completed');
  }, 60_000);

  it("answers 404 to another tenant's fork of the run, as for a run that does not exist", async () => {
    const other = await fork(parentId, { fromStep: 2, message: 'take their files' }, harness.keys.b);
    const nobody = await fork(`run_${ulid()}`, { fromStep: 2, message: 'take their files' }, harness.keys.b);
    expect(other.status).toBe(404);
    expect(nobody.status).toBe(404);
    expect(other.body.error.code).toBe(nobody.body.error.code);
    expect(JSON.stringify(other.body)).not.toContain('version');
  });
});
