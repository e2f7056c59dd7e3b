// Worker versioning on the real dev server: two worker builds of one Worker Deployment side by side
// on one task queue. A promoted build takes every new run; a 20% ramp sends about a fifth of new
// runs to the other (checked against a binomial bound); a conversation stays on the build it
// started on across a ramp and a promotion; a rollback stops new runs reaching the ramped build or
// undoes a promotion. Routing is changed through `keel deploy` (bin/keel.js) and /v1/deployments;
// which build ran a run is read from Temporal's DescribeWorkflowExecution.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeVersioningBehavior } from '@temporalio/common';
import { ulid } from 'ulid';
import { PLATFORM_TENANT_ID } from '../../core/access';
import { TenantsRepository } from '../../stores/tenants-repository';
import { startWorker, type RunningWorker } from '../../worker/start-worker';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { recordHistoryIfAsked } from '../support/record-history';
import { startHarness, type Harness } from '../support/keel-harness';

const CLI = path.join(__dirname, '..', '..', 'bin', 'keel.js');
const CLI_TIMEOUT_MS = 60_000;
const REVIEW_EVERYTHING = { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false };
const BUILD_A = 'build-a';
const BUILD_B = 'build-b.2';
/** Short runs started at once: enough to keep both workers busy, few enough for a 2-core machine. */
const START_CONCURRENCY = 10;

type CliResult = { code: number | null; stdout: string; stderr: string };

describe('worker deployments: two builds side by side, a ramp, pinned runs and rollbacks', () => {
  let harness: Harness;
  let platformKey: string;
  let tenantAdminKey: string;
  let home: string;
  let model: string;
  const deployment = `keel-test-${ulid().toLowerCase()}`;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    harness = await startHarness({ worker: false });
    const tenants = new TenantsRepository(harness.services.database.db);
    await tenants.ensureTenant(PLATFORM_TENANT_ID, 'Platform');
    platformKey = (await tenants.createApiKey({ tenantId: PLATFORM_TENANT_ID, userId: `deployer-${ulid().toLowerCase()}`, name: 'deployer', role: 'platform' })).key;
    tenantAdminKey = (await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId: 'admin-a', name: 'admin', role: 'admin' })).key;
    home = mkdtempSync(path.join(os.tmpdir(), 'keel-deploy-'));
    model = `deploy-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: model,
      models: `${model}*`,
      rules: [
        { promptIncludes: 'needs review', turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'pinned.txt', content: 'pinned\n' } }] } },
        { reply: { text: 'Done.' } },
      ],
    });
    const bundle = process.env.KEEL_TEST_WORKFLOW_BUNDLE;
    for (const buildId of [BUILD_A, BUILD_B]) {
      workers.push(await startWorker({ ...harness.config, deployment: { name: deployment, buildId } }, harness.services, { workflowBundle: bundle ? { codePath: bundle } : undefined }));
    }
    await waitForBuilds([BUILD_A, BUILD_B]);
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await harness?.close();
  });

  /** Runs the CLI as a platform operator, without blocking this process, which serves the API it talks to. */
  function keel(args: string[], environment: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: home, KEEL_URL: harness.apiUrl, KEEL_API_KEY: platformKey, KEEL_DEPLOYMENT_NAME: deployment, ...environment },
        cwd: home,
        timeout: CLI_TIMEOUT_MS,
      }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
    });
  }

  /** A build appears in its deployment once its workers have polled. */
  async function waitForBuilds(buildIds: string[]): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { status, body } = await api(harness.apiUrl, 'GET', `/v1/deployments/${deployment}`, { key: platformKey });
      const seen = status === 200 ? (body.versions as Array<{ buildId: string }>).map((version) => version.buildId) : [];
      if (buildIds.every((buildId) => seen.includes(buildId))) return;
      if (Date.now() > deadline) throw new Error(`builds ${buildIds.join(', ')} not in ${deployment} after 60 s: ${status} ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function startRun(body: Record<string, unknown>): Promise<string> {
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { model: `local/${model}`, ...body } });
    expect(started.status).toBe(202);
    return started.body.id as string;
  }

  /**
   * The build Temporal says runs the run, and whether the run is pinned to it. Temporal records it
   * when the run's first workflow task completes, which a local-first step (and the review it asks
   * for) happens inside: wait for it.
   */
  async function buildOf(runId: string): Promise<{ buildId: string | undefined; behavior: string | undefined }> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const description = await harness.api.client.workflow.getHandle(runId).describe();
      const versioning = description.raw.workflowExecutionInfo?.versioningInfo;
      const buildId = versioning?.deploymentVersion?.buildId || undefined;
      if (buildId || Date.now() > deadline) return { buildId, behavior: decodeVersioningBehavior(versioning?.behavior) };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Starts `count` one-step runs, waits for each to complete, and counts the builds that ran them. */
  async function shortRuns(count: number): Promise<Record<string, number>> {
    const ids: string[] = [];
    for (let offset = 0; offset < count; offset += START_CONCURRENCY) {
      const batch = Math.min(START_CONCURRENCY, count - offset);
      ids.push(...await Promise.all(Array.from({ length: batch }, (_, index) => startRun({ message: `short run ${offset + index}` }))));
    }
    const tally: Record<string, number> = {};
    for (const id of ids) {
      expect(await waitForRun(harness.apiUrl, harness.keys.a, id, 120_000)).toMatchObject({ status: 'completed', outcome: { answer: 'Done.' } });
      const { buildId } = await buildOf(id);
      tally[buildId ?? 'unversioned'] = (tally[buildId ?? 'unversioned'] ?? 0) + 1;
    }
    return tally;
  }

  async function approveReviewOf(runId: string): Promise<void> {
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    const decided = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/reviews/${review.id}`, { key: harness.keys.a, body: { action: 'approve' } });
    expect(decided.status).toBe(200);
  }

  it('reports the API ready when only versioned workers poll its task queue', async () => {
    const readiness = await api(harness.apiUrl, 'GET', '/readyz');
    expect(readiness.body.dependencies.workers).toMatchObject({ status: 'up' });
  });

  it('answers bad requests with 4xx naming the problem, and refuses a tenant admin', async () => {
    const unknown = `nobody-${ulid().toLowerCase()}`;
    expect((await api(harness.apiUrl, 'GET', `/v1/deployments/${unknown}`, { key: platformKey })).body.error).toMatchObject({ code: 'not_found' });
    const dotted = await api(harness.apiUrl, 'GET', '/v1/deployments/has.dot', { key: platformKey });
    expect(dotted).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    const tooMuch = await api(harness.apiUrl, 'POST', `/v1/deployments/${deployment}/ramp`, { key: platformKey, body: { buildId: BUILD_B, percentage: 150 } });
    expect(tooMuch).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: { issues: [expect.objectContaining({ field: 'body.percentage' })] } } } });
    const neverPolled = await api(harness.apiUrl, 'POST', `/v1/deployments/${deployment}/ramp`, { key: platformKey, body: { buildId: 'build-z', percentage: 5 } });
    expect(neverPolled).toMatchObject({ status: 404, body: { error: { code: 'version_not_found', details: { field: 'body.buildId' } } } });
    const notRamping = await api(harness.apiUrl, 'POST', `/v1/deployments/${deployment}/promote`, { key: platformKey, body: {} });
    expect(notRamping).toMatchObject({ status: 409, body: { error: { code: 'nothing_ramping' } } });
    const nothingYet = await api(harness.apiUrl, 'POST', `/v1/deployments/${deployment}/rollback`, { key: platformKey, body: {} });
    expect(nothingYet).toMatchObject({ status: 409, body: { error: { code: 'nothing_to_roll_back' } } });
    const admin = await api(harness.apiUrl, 'GET', `/v1/deployments/${deployment}`, { key: tenantAdminKey });
    expect(admin).toMatchObject({ status: 403, body: { error: { code: 'permission_denied', details: { permission: 'deployments:read' } } } });

    expect(await keel(['deploy', 'ramp', BUILD_B, 'lots'])).toEqual({ code: 2, stdout: '', stderr: 'error usage: "lots" is not a percentage from 0 to 100 (e.g. 20 or 20%)\n' });
    expect(await keel(['deploy', 'status', '--deployment', unknown])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error not_found \(HTTP 404\): deployment .+ not found/) });
  }, 60_000);

  it('sends about 20% of new runs to a ramped build, finishes a pinned run on its build, and sends none after a rollback', async () => {
    expect(await keel(['deploy', 'promote', BUILD_A])).toEqual({ code: 0, stdout: `promoted ${BUILD_A} (was unversioned): every new run goes to it\n`, stderr: '' });
    // A conversation that waits on a human, started while A is the only build taking runs.
    const pinned = await startRun({ message: 'needs review', policy: REVIEW_EVERYTHING });
    await waitForReview(harness.apiUrl, harness.keys.a, pinned);
    expect(await buildOf(pinned)).toEqual({ buildId: BUILD_A, behavior: 'PINNED' });

    expect(await keel(['deploy', 'ramp', BUILD_B, '20%'])).toEqual({ code: 0, stdout: `ramping ${BUILD_B} at 20% of new runs (current ${BUILD_A})\n`, stderr: '' });
    const status = await keel(['deploy', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`current    ${BUILD_A}\nramping    ${BUILD_B} at 20%\n`);
    expect(status.stdout).toMatch(new RegExp(`^${BUILD_B.replace('.', '\\.')}\\s+ramping\\s`, 'm'));

    const runs = 100;
    const tally = await shortRuns(runs);
    expect(Object.keys(tally).sort()).toEqual([BUILD_A, BUILD_B].sort());
    expect((tally[BUILD_A] ?? 0) + (tally[BUILD_B] ?? 0)).toBe(runs);
    // Binomial(100, 0.2): mean 20, sigma 4; 4 sigma either side (4..36), a false alarm about once in
    // 16,000 runs (0.16% at 3 sigma, where a clean-clone CI run saw 33).
    const sigma = Math.sqrt(runs * 0.2 * 0.8);
    expect(tally[BUILD_B]).toBeGreaterThanOrEqual(Math.floor(runs * 0.2 - 4 * sigma));
    expect(tally[BUILD_B]).toBeLessThanOrEqual(Math.ceil(runs * 0.2 + 4 * sigma));

    // Resumed after the ramp, the conversation finishes on the build it started on.
    await approveReviewOf(pinned);
    expect(await waitForRun(harness.apiUrl, harness.keys.a, pinned)).toMatchObject({ status: 'completed' });
    expect(await buildOf(pinned)).toEqual({ buildId: BUILD_A, behavior: 'PINNED' });

    expect(await keel(['deploy', 'rollback'])).toEqual({ code: 0, stdout: `stopped the ramp of ${BUILD_B}: new runs go to ${BUILD_A} only\n`, stderr: '' });
    // With B still at 20%, 30 runs all on A would happen by chance 0.8^30 ≈ 0.1% of the time.
    expect(await shortRuns(30)).toEqual({ [BUILD_A]: 30 });
  }, 600_000);

  it('keeps a conversation on its build across a promotion, and rolls the promotion back to the build before it', async () => {
    const before = await api(harness.apiUrl, 'GET', `/v1/deployments/${deployment}`, { key: platformKey });
    expect(before.body).toMatchObject({ current: BUILD_A, ramping: null });
    const pinned = await startRun({ message: 'needs review', policy: REVIEW_EVERYTHING });
    await waitForReview(harness.apiUrl, harness.keys.a, pinned);
    expect((await buildOf(pinned)).buildId).toBe(BUILD_A);

    const ramped = await api(harness.apiUrl, 'POST', `/v1/deployments/${deployment}/ramp`, { key: platformKey, body: { buildId: BUILD_B, percentage: 50 } });
    expect(ramped).toMatchObject({ status: 200, body: { change: { action: 'ramped', buildId: BUILD_B, previousCurrent: BUILD_A }, deployment: { current: BUILD_A, ramping: { buildId: BUILD_B, percentage: 50 } } } });
    const promoted = await api(harness.apiUrl, 'POST', `/v1/deployments/${deployment}/promote`, { key: platformKey, body: {} });
    expect(promoted).toMatchObject({ status: 200, body: { change: { action: 'promoted', buildId: BUILD_B, previousCurrent: BUILD_A }, deployment: { current: BUILD_B, ramping: null } } });
    const again = await api(harness.apiUrl, 'POST', `/v1/deployments/${deployment}/promote`, { key: platformKey, body: { buildId: BUILD_B } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_current' } } });

    expect(await shortRuns(10)).toEqual({ [BUILD_B]: 10 });
    // B takes every new run; the conversation started on A still finishes there.
    await approveReviewOf(pinned);
    expect(await waitForRun(harness.apiUrl, harness.keys.a, pinned)).toMatchObject({ status: 'completed' });
    expect((await buildOf(pinned)).buildId).toBe(BUILD_A);
    // A versioned worker's history (its workflow tasks carry the build and the pinned behaviour) replays like any other.
    await recordHistoryIfAsked(harness.api.client, pinned, 'pinned-review-across-promotion', 'worker-versioning');

    const rolledBack = await api(harness.apiUrl, 'POST', `/v1/deployments/${deployment}/rollback`, { key: platformKey, body: {} });
    expect(rolledBack).toMatchObject({ status: 200, body: { change: { action: 'rolled_back', buildId: BUILD_A, previousCurrent: BUILD_B }, deployment: { current: BUILD_A, ramping: null } } });
    expect(await shortRuns(10)).toEqual({ [BUILD_A]: 10 });

    const listed = await api(harness.apiUrl, 'GET', '/v1/deployments', { key: platformKey });
    expect(listed.body.deployments).toEqual(expect.arrayContaining([{ name: deployment, current: BUILD_A, ramping: null }]));
    const audit = await api(harness.apiUrl, 'GET', `/v1/audit?targetId=${deployment}&limit=20`, { key: platformKey });
    expect(audit.body.entries.map((entry: { action: string }) => entry.action).slice(0, 3)).toEqual(['deployment.rolled_back', 'deployment.promoted', 'deployment.ramped']);
  }, 300_000);
});
