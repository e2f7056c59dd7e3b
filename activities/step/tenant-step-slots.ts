// A tenant's cap on its running steps, around a step's work on the worker: the step takes one of the
// tenant's `concurrentSteps` slots (a lease, renewed while it runs) or is refused at once with a
// non-retryable `TenantStepSlotsFull`, and the workflow waits on a durable timer before trying again,
// so a waiting step holds no worker slot (decisions/0013-tenant-step-slots.md).
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { FAILURE_TYPES } from '../../core/errors';
import type { Logger } from '../../runtime/logger';
import type { KeelMetrics } from '../../runtime/metrics';
import { TENANT_WIDE, type QuotasRepository } from '../../stores/quotas-repository';
import type { TenantStepSlotStore } from '../../stores/tenant-step-slots';
import type { StepWork } from './step-runner';

/** A limit changes by an admin call; every step asks, so it is read again only this often per worker. */
export const STEP_LIMIT_CACHE_MS = 30_000;
const STEP_LIMIT_CACHE_MAX = 10_000;

export type TenantStepSlotsDeps = {
  store: TenantStepSlotStore;
  quotas: Pick<QuotasRepository, 'limits'>;
  /** How long a slot is held without renewal; renewed every third of it. */
  leaseMs: number;
  metrics?: KeelMetrics;
  logger?: Logger;
  limitCacheMs?: number;
};

/** The refusal the workflow waits on; `details[0]` says what filled the limit (shown in the Web UI). */
export function tenantStepSlotsFull(tenantId: string, limit: number, held: number): ApplicationFailure {
  return ApplicationFailure.create({
    message: `tenant ${tenantId} already runs ${held} steps, its concurrentSteps quota is ${limit}: the step waits for a slot`,
    type: FAILURE_TYPES.tenantStepSlotsFull,
    nonRetryable: true,
    // Routine, not an error: the SDK logs it at debug and leaves it out of its failure metrics.
    category: ApplicationFailureCategory.BENIGN,
    details: [{ limit, held }],
  });
}

export class TenantStepSlots {
  private readonly limits = new Map<string, { limit: number | undefined; expiresAt: number }>();

  constructor(private readonly deps: TenantStepSlotsDeps) {}

  /** The step's work, run only while it holds one of its tenant's slots (or at once for a tenant without the quota). */
  guard(work: StepWork): StepWork {
    return async (input, context) => {
      const limit = await this.limitOf(input.tenantId);
      if (limit === undefined) return work(input, context);
      // Each attempt holds its own slot: a retry elsewhere never shares (or releases) an abandoned attempt's.
      const holder = `${input.runId}:${input.step}:${input.modelId}:${randomUUID()}`;
      const claim = await this.claim(input.tenantId, holder, limit);
      if (!claim.granted) {
        this.deps.metrics?.stepSlotWaits.inc({ tenant: input.tenantId });
        throw tenantStepSlotsFull(input.tenantId, limit, claim.held);
      }
      this.deps.metrics?.stepSlotsHeld.inc({ tenant: input.tenantId });
      const renewal = setInterval(() => void this.renew(input.tenantId, holder), Math.max(100, Math.floor(this.deps.leaseMs / 3)));
      renewal.unref();
      try {
        return await work(input, context);
      } finally {
        clearInterval(renewal);
        this.deps.metrics?.stepSlotsHeld.dec({ tenant: input.tenantId });
        await this.deps.store.release(input.tenantId, holder).catch((error: unknown) => {
          // The lease runs out on its own; until then the tenant has one slot fewer.
          this.deps.logger?.warn({ err: error, tenantId: input.tenantId }, 'could not release a tenant step slot; it frees when its lease ends');
        });
      }
    };
  }

  /** A slot store that cannot be reached lets the step run: fairness is not worth stopping every tenant's runs for. */
  private async claim(tenantId: string, holder: string, limit: number): Promise<{ granted: true } | { granted: false; held: number }> {
    try {
      return await this.deps.store.claim(tenantId, holder, limit, this.deps.leaseMs);
    } catch (error) {
      this.deps.logger?.warn({ err: error, tenantId }, 'tenant step slots unreachable; the step runs without a slot');
      return { granted: true };
    }
  }

  private async renew(tenantId: string, holder: string): Promise<void> {
    try {
      if (!(await this.deps.store.renew(tenantId, holder, this.deps.leaseMs))) {
        this.deps.logger?.warn({ tenantId, holder }, "a step's tenant slot lease ran out before it was renewed (the worker stalled); the tenant may run one step over its limit meanwhile");
      }
    } catch (error) {
      this.deps.logger?.warn({ err: error, tenantId }, 'could not renew a tenant step slot');
    }
  }

  /** The tenant's concurrentSteps quota, or undefined when it has none (unlimited; also when the database cannot say). */
  private async limitOf(tenantId: string): Promise<number | undefined> {
    const cached = this.limits.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return cached.limit;
    let limit: number | undefined;
    try {
      limit = (await this.deps.quotas.limits(tenantId, TENANT_WIDE)).tenant.concurrentSteps ?? undefined;
    } catch (error) {
      // The step's own writes report an unreachable database as StoreUnavailable, and the workflow waits for it.
      this.deps.logger?.warn({ err: error, tenantId }, "could not read the tenant's concurrentSteps quota; the step runs unlimited");
      return undefined;
    }
    if (this.limits.size >= STEP_LIMIT_CACHE_MAX) this.limits.clear();
    this.limits.set(tenantId, { limit, expiresAt: Date.now() + (this.deps.limitCacheMs ?? STEP_LIMIT_CACHE_MS) });
    return limit;
  }
}
