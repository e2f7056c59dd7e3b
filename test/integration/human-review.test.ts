// Human review end to end: a tool call the policy sends to a human waits on the `approval` signal;
// reviewers approve, reject or edit it over HTTP; every decision is audited; a review nobody
// decides escalates as configured; failed corrections go to a human.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, readSse, waitForReview, waitForRun } from '../support/api-client';
import { TenantsRepository } from '../../stores/tenants-repository';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordHistoryIfAsked } from '../support/record-history';
import { killWorker, spawnWorker } from '../support/worker-process';

/** Every call needs a human: a policy a tenant could set, here per run. */
const REVIEW_EVERYTHING = { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false };

describe('human review of tool calls', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const workspaceOf = (runId: string) => path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId);

  async function startRun(name: string, rules: unknown[], policy: Record<string, unknown> = REVIEW_EVERYTHING): Promise<string> {
    harness.modelServer.addScenario({ name, models: `${name}*`, rules } as never);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Do the task (${name})`, model: `local/${name}`, policy } });
    expect(created.status).toBe(202);
    return created.body.id as string;
  }

  it('waits for approval, shows the review to the tenant only, runs the call once approved and audits the decision', async () => {
    const name = `review-approve-${ulid().toLowerCase()}`;
    const runId = await startRun(name, [
      { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo approved > approved.txt' } }] } },
      { reply: { text: 'Wrote approved.txt.' } },
    ]);
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    expect(review).toMatchObject({ kind: 'tool-call', status: 'pending', runId, context: { toolName: 'bash', arguments: { command: 'echo approved > approved.txt' } } });
    expect(existsSync(path.join(workspaceOf(runId), 'approved.txt'))).toBe(false);

    // The review is stored before the workflow hears of it: its live state catches up a moment later.
    let run = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a });
    for (let tries = 0; tries < 50 && !run.body.live?.pendingReviews?.length; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a });
    }
    expect(run.body.status).toBe('awaiting_review');
    expect(run.body.policy).toMatchObject({ safety: { riskVerdicts: { none: 'confirm', medium: 'confirm', critical: 'deny' } }, review: { timeoutSeconds: 86400 } });
    expect(run.body.live.pendingReviews).toEqual([expect.objectContaining({ reviewId: review.id, kind: 'tool-call' })]);
    // Another tenant sees nothing and cannot decide.
    const foreign = await api(harness.apiUrl, 'GET', `/v1/reviews?runId=${runId}`, { key: harness.keys.b });
    expect(foreign.body.reviews).toEqual([]);
    const foreignDecision = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/reviews/${review.id}`, { key: harness.keys.b, body: { action: 'approve' } });
    expect(foreignDecision.status).toBe(404);

    const decided = await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'approve', reason: 'looks fine' } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'approved', decidedBy: 'user-a' });
    expect(decided.body.audit).toEqual([expect.objectContaining({ actor: 'user-a', action: 'approve', reason: 'looks fine', argumentsSeen: { command: 'echo approved > approved.txt' } })]);
    const again = await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'reject' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('review_decided');

    const finished = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(finished.status).toBe('completed');
    expect(readFileSync(path.join(workspaceOf(runId), 'approved.txt'), 'utf8')).toBe('approved\n');
    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    const types = events.map((event) => event.event);
    expect(types.indexOf('review.requested')).toBeLessThan(types.indexOf('review.decided'));
    expect(types.indexOf('review.decided')).toBeLessThan(types.indexOf('tool-call.started'));
    // The model was called once per turn: pausing and resuming the step repeated no model call.
    expect(harness.modelServer.requests({ model: name }).length).toBe(2);
    await recordHistoryIfAsked(harness.api.client, runId, 'review-approved');
  });

  it('gives a rejection and its reason to the model instead of running the call', async () => {
    const name = `review-reject-${ulid().toLowerCase()}`;
    const runId = await startRun(name, [
      { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo nope > rejected.txt' } }] } },
      { reply: { text: 'Understood, I did not write it.' } },
    ]);
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    const decided = await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'reject', reason: 'not that file' } });
    expect(decided.body.status).toBe('rejected');
    const finished = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(finished.status).toBe('completed');
    expect(existsSync(path.join(workspaceOf(runId), 'rejected.txt'))).toBe(false);
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const result = transcript.body.messages.find((entry: { message: { type: string } }) => entry.message.type === 'tool-result');
    expect(result.message).toMatchObject({ isError: true });
    expect(result.message.output).toMatch(/a reviewer rejected this bash call: not that file/);
  });

  it('runs the call with the arguments a reviewer edited, and audits both versions', async () => {
    const name = `review-edit-${ulid().toLowerCase()}`;
    const runId = await startRun(name, [
      { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'config.txt', content: 'debug=true\n' } }] } },
      { reply: { text: 'Configured.' } },
    ]);
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    const missing = await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'edit' } });
    expect(missing.status).toBe(400);
    const edited = { path: 'config.txt', content: 'debug=false\n' };
    const decided = await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'edit', arguments: edited } });
    expect(decided.body.audit[0]).toMatchObject({ action: 'edit', argumentsSeen: { content: 'debug=true\n' }, argumentsApplied: edited });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');
    expect(readFileSync(path.join(workspaceOf(runId), 'config.txt'), 'utf8')).toBe('debug=false\n');
  });

  it('escalates a review nobody decides in time as the policy says (default: reject with "review timed out")', async () => {
    const name = `review-timeout-${ulid().toLowerCase()}`;
    const runId = await startRun(name, [
      { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo late > late.txt' } }] } },
      { reply: { text: 'Nobody approved; I stopped.' } },
    ], { ...REVIEW_EVERYTHING, review: { timeoutSeconds: 2 } });
    const finished = await waitForRun(harness.apiUrl, harness.keys.a, runId, 30_000);
    expect(finished.status).toBe('completed');
    expect(existsSync(path.join(workspaceOf(runId), 'late.txt'))).toBe(false);
    const expired = await waitForReview(harness.apiUrl, harness.keys.a, runId, { status: 'timed_out' });
    expect(expired.decision).toMatchObject({ action: 'reject', reason: 'review timed out' });
    const detail = await api(harness.apiUrl, 'GET', `/v1/reviews/${expired.id}`, { key: harness.keys.a });
    expect(detail.body.audit).toEqual([expect.objectContaining({ actor: 'system:timeout', action: 'timeout:reject' })]);
    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    expect(events.map((event) => event.event)).toContain('review.expired');
    await recordHistoryIfAsked(harness.api.client, runId, 'review-timed-out');
  });

  it('asks a human after the model failed to correct itself maxCorrections times, and stops the run when the human says so', async () => {
    const name = `review-corrections-${ulid().toLowerCase()}`;
    const runId = await startRun(name, [
      { reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'missing-{{turn}}.txt' } }] } },
    ], { maxCorrections: 2 });
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    expect(review).toMatchObject({ kind: 'correction', context: { failedSteps: 2 } });
    await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'reject', reason: 'the file does not exist' } });
    const finished = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(finished.status).toBe('failed');
    expect(finished.outcome).toMatchObject({ failureType: 'ReviewRejected' });
    expect(finished.outcome.error).toMatch(/stopped after 2 failed attempts by user-a: the file does not exist/);
    await recordHistoryIfAsked(harness.api.client, runId, 'review-corrections-rejected');
  });

  it('sends unexpected side effects to a human under the review policy; a rejection rolls them back', async () => {
    const name = `review-side-effects-${ulid().toLowerCase()}`;
    const runId = await startRun(name, [
      { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'victim.txt', content: 'keep me\n' } }] } },
      { turn: 1, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'cleanup.sh', content: 'rm victim.txt\n' } }] } },
      { turn: 2, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo named > named.txt; bash cleanup.sh' } }] } },
      { reply: { text: 'Cleaned up.' } },
    ], { sideEffects: 'review', outcomePrediction: false });
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    expect(review).toMatchObject({ kind: 'side-effects', context: { toolName: 'bash', deleted: ['victim.txt'], created: [] } });
    expect(existsSync(path.join(workspaceOf(runId), 'victim.txt'))).toBe(false);
    await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'reject', reason: 'do not delete files' } });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');
    expect(readFileSync(path.join(workspaceOf(runId), 'victim.txt'), 'utf8')).toBe('keep me\n');
    expect(readFileSync(path.join(workspaceOf(runId), 'named.txt'), 'utf8')).toBe('named\n');
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const results = transcript.body.messages.filter((entry: { message: { type: string } }) => entry.message.type === 'tool-result');
    expect(results[2].message.output).toMatch(/a reviewer rejected the unexpected workspace changes of this call \(do not delete files\); they were rolled back \(restored 1/);
    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    expect(events.map((event) => event.event)).toEqual(expect.arrayContaining(['side-effects.detected', 'review.requested', 'review.decided', 'side-effects.rolled-back']));
  });

  it('cancels a run that waits for a review, and closes the review so nobody decides it afterwards', async () => {
    const name = `review-cancel-${ulid().toLowerCase()}`;
    const runId = await startRun(name, [
      { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo never > never.txt' } }] } },
      { reply: { text: 'unreachable' } },
    ]);
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    const cancelled = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/cancel`, { key: harness.keys.a, body: { reason: 'not today' } });
    expect(cancelled.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run).toMatchObject({ status: 'cancelled', outcome: { reason: 'not today' } });
    const closed = await api(harness.apiUrl, 'GET', `/v1/reviews/${review.id}`, { key: harness.keys.a });
    expect(closed.body).toMatchObject({ status: 'closed', decidedBy: 'system:run-ended' });
    expect(closed.body.audit).toEqual([expect.objectContaining({ actor: 'system:run-ended', action: 'close', reason: 'the run ended cancelled' })]);
    const late = await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'approve' } });
    expect(late.status).toBe(409);
    expect(existsSync(path.join(workspaceOf(runId), 'never.txt'))).toBe(false);
  });

  it("starts runs from the tenant's policy, which only an admin may change", async () => {
    const admin = (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'admin-a', name: 'admin', role: 'admin' })).key;
    const forbidden = await api(harness.apiUrl, 'PUT', '/v1/policy', { key: harness.keys.a, body: { maxCorrections: 5 } });
    expect(forbidden.status).toBe(403);
    const invalid = await api(harness.apiUrl, 'PUT', '/v1/policy', { key: admin, body: { sideEffects: 'ignore' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.field).toBe('body.sideEffects');
    try {
      const stored = await api(harness.apiUrl, 'PUT', '/v1/policy', { key: admin, body: { review: { timeoutSeconds: 120 }, sideEffects: 'rollback' } });
      expect(stored.body.policy).toMatchObject({ review: { timeoutSeconds: 120, onTimeout: 'reject' }, sideEffects: 'rollback' });
      expect((await api(harness.apiUrl, 'GET', '/v1/policy', { key: harness.keys.a })).body.policy.review.timeoutSeconds).toBe(120);
      expect((await api(harness.apiUrl, 'GET', '/v1/policy', { key: harness.keys.b })).body.policy.review.timeoutSeconds).toBe(86400);
      const name = `tenant-policy-${ulid().toLowerCase()}`;
      harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ reply: { text: 'ok' } }] });
      const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'hi', model: `local/${name}`, policy: { review: { onTimeout: 'approve' } } } });
      expect(created.body.policy).toMatchObject({ review: { timeoutSeconds: 120, onTimeout: 'approve' }, sideEffects: 'rollback' });
    } finally {
      await api(harness.apiUrl, 'PUT', '/v1/policy', { key: admin, body: {} });
    }
  });

  it('answers bad decisions with 4xx naming the problem', async () => {
    const unknown = await api(harness.apiUrl, 'POST', `/v1/runs/run_${ulid()}/reviews/rev_${ulid()}`, { key: harness.keys.a, body: { action: 'approve' } });
    expect(unknown.status).toBe(404);
    const badAction = await api(harness.apiUrl, 'POST', `/v1/runs/run_${ulid()}/reviews/rev_${ulid()}`, { key: harness.keys.a, body: { action: 'maybe' } });
    expect(badAction.status).toBe(400);
    expect(badAction.body.error.message).toMatch(/action/);
    const badId = await api(harness.apiUrl, 'GET', '/v1/reviews/nope', { key: harness.keys.a });
    expect(badId.status).toBe(400);
    const badPolicy = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'hi', policy: { review: { timeoutSeconds: -1 } } } });
    expect(badPolicy.status).toBe(400);
    expect(badPolicy.body.error).toMatchObject({ code: 'invalid_policy', details: { field: 'policy.review.timeoutSeconds' } });
    const unknownModel = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'hi', policy: { smallModel: 'nope/nothing' } } });
    expect(unknownModel.status).toBe(400);
    expect(unknownModel.body.error).toMatchObject({ code: 'unknown_model', details: { field: 'policy.smallModel' } });
  });
});

describe('a review pending while its worker dies', () => {
  let harness: Harness;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    harness = await startHarness({ worker: false });
  });
  afterAll(async () => {
    for (const child of children) await killWorker(child);
    await harness?.close();
  });

  it('survives: the approval given while no worker runs is applied by the restarted worker', async () => {
    const name = `review-restart-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo after-restart > restart.txt' } }] } },
        { reply: { text: 'Done after the restart.' } },
      ],
    });
    const first = spawnWorker(harness);
    children.push(first);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Write the file (${name})`, model: `local/${name}`, policy: REVIEW_EVERYTHING, limits: { heartbeatTimeoutSeconds: 2 } },
    });
    const runId = created.body.id as string;
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId, { timeoutMs: 60_000 });
    await killWorker(first);

    const decided = await api(harness.apiUrl, 'POST', review.links.decide, { key: harness.keys.a, body: { action: 'approve' } });
    expect(decided.status).toBe(200);
    children.push(spawnWorker(harness));
    const finished = await waitForRun(harness.apiUrl, harness.keys.a, runId, 60_000);
    expect(finished.status).toBe('completed');
    expect(readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'restart.txt'), 'utf8')).toBe('after-restart\n');
  }, 120_000);
});
