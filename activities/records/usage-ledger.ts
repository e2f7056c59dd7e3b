// The usage ledger as model calls outside a step's reply see it (checks, summaries, compression,
// extraction, health): each answered call is priced from the pool and written once by its key, so
// budgets and usage totals count every call, and a retried activity never counts one twice.
import type { Usage } from '../../core/messages';
import type { ModelCallPurpose } from '../../core/model-call-purposes';
import { costOf, type ModelPool } from '../../core/model-pool';
import type { UsageRecord, UsageRepository } from '../../stores/usage-repository';

/** An answered call to record: `runId` absent for calls outside any run (health checks). */
export type AnsweredCall = {
  usageKey: string;
  tenantId: string;
  runId?: string;
  step?: number;
  purpose: ModelCallPurpose;
  model: string;
  usage: Usage;
};

/** Told of each call the ledger stored for the first time (the worker's metrics). */
export type UsageObserver = (entry: UsageRecord) => void;

export class UsageLedger {
  constructor(
    private readonly usage: Pick<UsageRepository, 'record' | 'runCost'>,
    private readonly pool?: ModelPool,
    private readonly observer?: UsageObserver,
  ) {}

  /** USD of a call by a pool model; null for a model without a price. */
  costOf(modelId: string, usage: Usage): number | null {
    const model = this.pool?.model(modelId);
    return model ? costOf(usage, model.pricing) : null;
  }

  /** Records the call (once per key) and returns its cost (0 when unpriced). */
  async record(call: AnsweredCall): Promise<number> {
    const costUsd = this.costOf(call.model, call.usage);
    const entry: UsageRecord = { ...call, costUsd };
    if (await this.usage.record(entry)) this.observer?.(entry);
    return costUsd ?? 0;
  }

  /** USD the run has spent on every purpose so far. */
  runCost(runId: string): Promise<number> {
    return this.usage.runCost(runId);
  }
}
