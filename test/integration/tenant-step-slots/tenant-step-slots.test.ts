// A tenant's concurrentSteps quota on the workers, with two tenants under load: tenant A starts
// many runs with slow model replies and a limit of 2, tenant B a few with none. At no time do more
// than 2 of A's model calls run at once (measured from the model server's request log), B's runs
// finish while A's queue is still long, every run completes. A worker killed with SIGKILL while
// holding A's only slot gives it back when its lease runs out.
import type { ChildProcess } from 'node:child_process';
import { ulid } from 'ulid';
import type { RecordedRequest } from '../../../model-server/request-log';
import { TENANT_SLOT_LONGEST_WAIT_MS } from '../../../workflows/patches';
import { TenantsRepository } from '../../../stores/tenants-repository';
import { TERMINAL_STATUSES, type RunStatus } from '../../../core/run-status';
import { api, waitForRun } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';
import { parseMetrics, total } from '../../support/metrics-text';
import { TEST_REDIS_URL, describeWith, hasPrerequisite } from '../../support/prerequisites';
import { killProcess, spawnWorker } from '../../support/worker-process';
import { recordHistoryIfAsked } from '../../support/record-history';

const REPLY_DELAY_MS = 1500;
const A_RUNS = 8;
const B_RUNS = 2;

/** The most requests whose text includes `marker` that were with the model at one moment (received, then the scripted delay). */
function peakConcurrency(requests: readonly RecordedRequest[], marker: string, delayMs: number): number {
  const edges = requests
    .filter((request) => JSON.stringify(request.body).includes(marker))
    .flatMap((request) => {
      const received = Date.parse(request.receivedAt);
      return [{ at: received, change: 1 }, { at: received + delayMs, change: -1 }];
    })
    // At one instant an end comes before a start: back-to-back calls do not overlap.
    .sort((first, second) => first.at - second.at || first.change - second.change);
  let now = 0;
  let peak = 0;
  for (const edge of edges) {
    now += edge.change;
    peak = Math.max(peak, now);
  }
  return peak;
}

async function platformKey(harness: Harness): Promise<string> {
  return (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'slots-operator', name: 'operator', role: 'platform' })).key;
}

describe("a tenant's concurrentSteps quota with two tenants under load", () => {
  let harness: Harness;
  let platform: string;

  beforeAll(async () => {
    // With Redis the slots live where every worker would share them; without it, the in-process twin.
    harness = await startHarness(hasPrerequisite('redis') ? { redisUrl: TEST_REDIS_URL } : {});
    platform = await platformKey(harness);
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it("runs at most 2 of tenant A's steps at once while tenant B's runs go ahead, and completes every run", async () => {
    const name = `slots-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ reply: { text: 'Slow answer.', delayMs: REPLY_DELAY_MS } }] });
    const limited = await api(harness.apiUrl, 'PUT', `/v1/tenants/${harness.tenantIds.a}/quotas`, { key: platform, body: { concurrentSteps: 2 } });
    expect(limited.status).toBe(200);
    expect(limited.body.limits).toMatchObject({ concurrentSteps: 2, concurrentRuns: null });
    const start = async (key: string, text: string): Promise<string> => {
      const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key, body: { message: text, model: `local/${name}` } });
      expect(created.status).toBe(202);
      return created.body.id as string;
    };

    const aRuns = await Promise.all(Array.from({ length: A_RUNS }, (_, index) => start(harness.keys.a, `tenant-a job ${index} (${name})`)));
    const bRuns = await Promise.all(Array.from({ length: B_RUNS }, (_, index) => start(harness.keys.b, `tenant-b job ${index} (${name})`)));
    const bFinished = await Promise.all(bRuns.map((runId) => waitForRun(harness.apiUrl, harness.keys.b, runId, 60_000)));
    expect(bFinished.map((run) => run.status)).toEqual(bRuns.map(() => 'completed'));
    // B finished while A's queue is long: 8 slow steps two at a time take four rounds, B's took about one.
    const aStatuses = await Promise.all(aRuns.map(async (runId) => (await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a })).body.status as RunStatus));
    expect(aStatuses.filter((status) => !TERMINAL_STATUSES.includes(status)).length).toBeGreaterThanOrEqual(3);

    const aFinished = await Promise.all(aRuns.map((runId) => waitForRun(harness.apiUrl, harness.keys.a, runId, 120_000)));
    expect(aFinished.map((run) => [run.status, run.outcome?.answer])).toEqual(aRuns.map(() => ['completed', 'Slow answer.']));

    const requests = harness.modelServer.requests({ model: `${name}*` });
    expect(requests).toHaveLength(A_RUNS + B_RUNS);
    // The limit is reached and held: never above 2, and 2 at some moment (so the check can fail).
    expect(peakConcurrency(requests, 'tenant-a job', REPLY_DELAY_MS)).toBe(2);
    // B, with no limit, had both its calls with the model at once, in the middle of A's queue.
    expect(peakConcurrency(requests, 'tenant-b job', REPLY_DELAY_MS)).toBe(B_RUNS);

    // A's waiting steps waited in their workflows, on durable timers, behind the patch; B's never did.
    const timersOf = async (runId: string) => {
      const history = await harness.api.client.workflow.getHandle(runId).fetchHistory();
      return (history.events ?? []).filter((event) => event.timerStartedEventAttributes).length;
    };
    const aTimers = await Promise.all(aRuns.map(timersOf));
    expect(aTimers.filter((timers) => timers > 0).length).toBeGreaterThanOrEqual(A_RUNS - 2 - 1);
    expect(await Promise.all(bRuns.map(timersOf))).toEqual(bRuns.map(() => 0));
    await recordHistoryIfAsked(harness.api.client, aRuns[aTimers.findIndex((timers) => timers > 0)]!, 'waited-for-tenant-slot', 'tenant-step-slots');

    const samples = parseMetrics((await harness.worker!.metrics.exposition()).text);
    expect(total(samples, 'keel_step_slot_waits_total', { tenant: harness.tenantIds.a })).toBeGreaterThan(0);
    expect(total(samples, 'keel_step_slot_waits_total', { tenant: harness.tenantIds.b })).toBe(0);
    expect(total(samples, 'keel_step_slots_held', { tenant: harness.tenantIds.a })).toBe(0);

    // GET /v1/usage shows the quota with the steps running now (none: every slot was given back).
    const usage = await api(harness.apiUrl, 'GET', '/v1/usage', { key: harness.keys.a });
    expect(usage.body.quotas).toContainEqual({ quota: 'concurrentSteps', scope: 'tenant', limit: 2, used: 0, remaining: 2, resetsAt: null });
    expect((await api(harness.apiUrl, 'PUT', `/v1/tenants/${harness.tenantIds.a}/quotas`, { key: platform, body: {} })).status).toBe(200);
  }, 180_000);

  it('refuses a concurrentSteps quota below 1 and on a user, naming the field', async () => {
    const zero = await api(harness.apiUrl, 'PUT', `/v1/tenants/${harness.tenantIds.b}/quotas`, { key: platform, body: { concurrentSteps: 0 } });
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.body.error)).toContain('concurrentSteps');
    const onUser = await api(harness.apiUrl, 'PUT', `/v1/tenants/${harness.tenantIds.b}/users/user-b/quotas`, { key: platform, body: { concurrentSteps: 2 } });
    expect(onUser.status).toBe(400);
    expect(JSON.stringify(onUser.body.error)).toContain('concurrentSteps');
  });
});

// The killed worker and its replacement are two processes: only Redis spans them (skipped without it, named in the summary).
describeWith('redis')('a worker killed while its step holds a tenant slot', () => {
  const LEASE_SECONDS = 3;
  let harness: Harness;
  let platform: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    harness = await startHarness({ worker: false, redisUrl: TEST_REDIS_URL, environment: { KEEL_STEP_SLOT_LEASE_SECONDS: String(LEASE_SECONDS) } });
    platform = await platformKey(harness);
  }, 60_000);
  afterAll(async () => {
    for (const child of children) await killProcess(child);
    await harness?.close();
  });

  it("gives the tenant's slot back once the lease runs out, and the waiting runs complete", async () => {
    const name = `slots-kill-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name,
      models: `${name}*`,
      rules: [
        // The first call hangs until the worker dies; the step's retry is answered at once.
        { promptIncludes: 'held by the killed worker', times: 1, reply: { text: 'Never seen.', delayMs: 60_000 } },
        { reply: { text: 'Done.' } },
      ],
    });
    expect((await api(harness.apiUrl, 'PUT', `/v1/tenants/${harness.tenantIds.a}/quotas`, { key: platform, body: { concurrentSteps: 1 } })).status).toBe(200);
    const child = spawnWorker(harness, {
      environment: { REDIS_URL: TEST_REDIS_URL, KEEL_STEP_SLOT_LEASE_SECONDS: String(LEASE_SECONDS), ...(process.env.KEEL_TEST_WORKFLOW_BUNDLE && { KEEL_WORKFLOW_BUNDLE: process.env.KEEL_TEST_WORKFLOW_BUNDLE }) },
    });
    children.push(child);
    const start = async (text: string): Promise<string> => {
      const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: text, model: `local/${name}`, limits: { heartbeatTimeoutSeconds: 2 } } });
      expect(created.status).toBe(202);
      return created.body.id as string;
    };
    const held = await start(`A step held by the killed worker (${name})`);
    // The child's step takes A's only slot and waits on the model.
    const deadline = Date.now() + 60_000;
    while (harness.modelServer.requests({ model: `${name}*` }).length === 0) {
      if (Date.now() > deadline) throw new Error('the child worker never called the model');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await harness.services.stepSlots.held(harness.tenantIds.a)).toBe(1);
    await killProcess(child);
    const killedAt = Date.now();

    const worker = await harness.startWorker();
    const replacedAt = Date.now();
    const waiting = await start(`A step that waits for the slot (${name})`);
    const runs = await Promise.all([held, waiting].map((runId) => waitForRun(harness.apiUrl, harness.keys.a, runId, 90_000)));
    expect(runs.map((run) => [run.status, run.outcome?.answer])).toEqual([['completed', 'Done.'], ['completed', 'Done.']]);

    // Nothing of A ran before the dead holder's lease ended: it was renewed at most a third of a lease before the kill.
    const calls = harness.modelServer.requests({ model: `${name}*` }).slice(1);
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(Date.parse(call.receivedAt) - killedAt).toBeGreaterThanOrEqual((LEASE_SECONDS * 2_000) / 3 - 250);
    // ...and the waits ended soon after it did and a worker was there (one wait at most past it, plus the step's own time).
    const freedAt = Math.max(killedAt + LEASE_SECONDS * 1000, replacedAt);
    expect(Math.min(...calls.map((call) => Date.parse(call.receivedAt))) - freedAt).toBeLessThan(TENANT_SLOT_LONGEST_WAIT_MS * 1.25 + 5_000);
    const samples = parseMetrics((await worker.metrics.exposition()).text);
    expect(total(samples, 'keel_step_slot_waits_total', { tenant: harness.tenantIds.a })).toBeGreaterThan(0);
    expect(await harness.services.stepSlots.held(harness.tenantIds.a)).toBe(0);
  }, 180_000);
});
