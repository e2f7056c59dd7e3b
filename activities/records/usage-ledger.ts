// The usage ledger as model calls outside a step's reply see it (checks, summaries, compression,
// extraction, health): each answered call is priced from the pool and written once by its key, so
// budgets and usage totals count every call, and a retried activity never counts one twice.
import type { Usage } from '../../core/messages';
import { costOf, type ModelPool } from '../../core/model-pool';
import type { UsageRecord, UsageRepository } from '../../stores/usage-repository';

/** An answered call to record: the ledger row before its price (`runId` absent outside any run: health checks). */
export type AnsweredCall = Omit<UsageRecord, 'costUsd'>;

/**
 * A paid call whose ledger row could not be written. Checks that turn their own failures into a
 * result (an unverified prediction, a failed validator) rethrow it, so the activity fails and its
 * retry writes the row, instead of the cost going uncounted. A database outage stays one (`cause`).
 */
export class UsageNotRecorded extends Error {
  constructor(readonly usageKey: string, cause: unknown) {
    super(`could not record the usage of ${usageKey}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'UsageNotRecorded';
  }
}

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
    let stored: boolean;
    try {
      stored = await this.usage.record(entry);
    } catch (error) {
      throw new UsageNotRecorded(call.usageKey, error);
    }
    if (stored) this.observer?.(entry);
    return costUsd ?? 0;
  }

  /** USD the run has spent on every purpose so far. */
  runCost(runId: string): Promise<number> {
    return this.usage.runCost(runId);
  }
}
