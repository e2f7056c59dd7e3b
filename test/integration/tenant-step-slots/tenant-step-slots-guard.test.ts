// The step wrapper of the concurrentSteps quota against a real (embedded) database and slot store:
// a step over the tenant's limit is refused before its work with a benign, non-retryable
// TenantStepSlotsFull; a running step keeps its slot past the lease by renewing it and gives it back
// when it ends or fails; a tenant without the quota takes no slot; an unreachable Redis lets steps run.
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { StepContext } from '../../../activities/records/step-context';
import type { StepInput, StepOutput } from '../../../activities/contract';
import { TenantStepSlots } from '../../../activities/step/tenant-step-slots';
import { FAILURE_TYPES } from '../../../core/errors';
import { KeelMetrics } from '../../../runtime/metrics';
import { openDatabase, type DatabaseHandle } from '../../../stores/database';
import { applyMigrations } from '../../../stores/migrate';
import { QuotasRepository, TENANT_WIDE } from '../../../stores/quotas-repository';
import { TenantsRepository } from '../../../stores/tenants-repository';
import { InProcessTenantStepSlotStore, RedisTenantStepSlotStore } from '../../../stores/tenant-step-slots';
import { parseMetrics, total } from '../../support/metrics-text';

const LIMITED = 'slots-limited';
const UNLIMITED = 'slots-unlimited';
const OUTPUT: StepOutput = { kind: 'final', modelId: 'm', usage: { inputTokens: 1, outputTokens: 1 }, toolCalls: [], transcriptSeq: 1, answerPreview: 'ok' };
const CONTEXT: StepContext = { heartbeat: () => undefined, signal: new AbortController().signal, attempt: 1 };

function stepOf(tenantId: string, step: number): StepInput {
  return {
    runId: `run-${step}`, tenantId, userId: 'user', step, modelId: 'm', tools: [], stream: false, newMessages: [], transcriptSeq: 0,
    usageSoFar: { inputTokens: 0, outputTokens: 0 }, limits: { maxSteps: 10 },
  };
}

/** A step's work that runs until the test lets it finish. */
function heldWork() {
  let finish: (output: StepOutput) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<StepOutput>((resolve, reject) => { finish = resolve; fail = reject; });
  return { work: () => done, finish: () => finish(OUTPUT), fail: (error: Error) => fail(error) };
}

describe("the concurrentSteps quota around a step's work", () => {
  let database: DatabaseHandle;
  let quotas: QuotasRepository;

  beforeAll(async () => {
    database = await openDatabase({ pgliteDir: 'memory://' });
    await applyMigrations(database);
    const tenants = new TenantsRepository(database.db);
    await tenants.ensureTenant(LIMITED, 'Limited');
    await tenants.ensureTenant(UNLIMITED, 'Unlimited');
    quotas = new QuotasRepository(database.db);
    await quotas.set(LIMITED, TENANT_WIDE, { concurrentSteps: 1 });
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });

  it('refuses a second step of a tenant at a limit of 1 with a benign TenantStepSlotsFull before its work, then runs it once the slot is back', async () => {
    const store = new InProcessTenantStepSlotStore();
    const metrics = new KeelMetrics('worker', { defaultMetrics: false });
    const slots = new TenantStepSlots({ store, quotas, leaseMs: 30_000, metrics });
    const first = heldWork();
    const running = slots.guard(first.work)(stepOf(LIMITED, 1), CONTEXT);
    while ((await store.held(LIMITED)) === 0) await new Promise((resolve) => setImmediate(resolve));

    let secondRan = false;
    const refusal = await slots.guard(async () => { secondRan = true; return OUTPUT; })(stepOf(LIMITED, 2), CONTEXT).catch((error: unknown) => error);
    expect(secondRan).toBe(false);
    expect(refusal).toBeInstanceOf(ApplicationFailure);
    expect(refusal).toMatchObject({ type: FAILURE_TYPES.tenantStepSlotsFull, nonRetryable: true, category: ApplicationFailureCategory.BENIGN, details: [{ limit: 1, held: 1 }] });
    const samples = parseMetrics((await metrics.exposition()).text);
    expect(total(samples, 'keel_step_slot_waits_total', { tenant: LIMITED })).toBe(1);
    expect(total(samples, 'keel_step_slots_held', { tenant: LIMITED })).toBe(1);

    first.finish();
    await expect(running).resolves.toEqual(OUTPUT);
    expect(await store.held(LIMITED)).toBe(0);
    await expect(slots.guard(async () => OUTPUT)(stepOf(LIMITED, 2), CONTEXT)).resolves.toEqual(OUTPUT);
    expect(total(parseMetrics((await metrics.exposition()).text), 'keel_step_slots_held', { tenant: LIMITED })).toBe(0);
  });

  it('gives the slot back when the step fails', async () => {
    const store = new InProcessTenantStepSlotStore();
    const slots = new TenantStepSlots({ store, quotas, leaseMs: 30_000 });
    const failing = heldWork();
    const running = slots.guard(failing.work)(stepOf(LIMITED, 1), CONTEXT);
    while ((await store.held(LIMITED)) === 0) await new Promise((resolve) => setImmediate(resolve));
    failing.fail(new Error('model exploded'));
    await expect(running).rejects.toThrow('model exploded');
    expect(await store.held(LIMITED)).toBe(0);
  });

  it('keeps a long step\'s slot past its lease by renewing it', async () => {
    const store = new InProcessTenantStepSlotStore();
    const slots = new TenantStepSlots({ store, quotas, leaseMs: 300 });
    const long = heldWork();
    const running = slots.guard(long.work)(stepOf(LIMITED, 1), CONTEXT);
    // Three leases long: without renewals the slot would have run out twice over.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await store.held(LIMITED)).toBe(1);
    await expect(slots.guard(async () => OUTPUT)(stepOf(LIMITED, 2), CONTEXT)).rejects.toMatchObject({ type: FAILURE_TYPES.tenantStepSlotsFull });
    long.finish();
    await running;
    expect(await store.held(LIMITED)).toBe(0);
  });

  it('runs the steps of a tenant without the quota at once, taking no slot', async () => {
    const store = new InProcessTenantStepSlotStore();
    const slots = new TenantStepSlots({ store, quotas, leaseMs: 30_000 });
    const steps = [heldWork(), heldWork(), heldWork()];
    const running = steps.map((step, index) => slots.guard(step.work)(stepOf(UNLIMITED, index + 1), CONTEXT));
    expect(await store.held(UNLIMITED)).toBe(0);
    for (const step of steps) step.finish();
    await expect(Promise.all(running)).resolves.toEqual([OUTPUT, OUTPUT, OUTPUT]);
  });

  it('lets a step run without a slot when Redis cannot be reached', async () => {
    // Nothing listens on port 1: every claim fails after the client's retries.
    const store = new RedisTenantStepSlotStore('redis://127.0.0.1:1');
    try {
      const slots = new TenantStepSlots({ store, quotas, leaseMs: 30_000 });
      await expect(slots.guard(async () => OUTPUT)(stepOf(LIMITED, 1), CONTEXT)).resolves.toEqual(OUTPUT);
    } finally {
      await store.close();
    }
  }, 30_000);
});
