// The contract of per-tenant step slots: at most `limit` steps of one tenant hold a slot at once,
// each slot a lease that its holder renews while the step runs, so a killed worker's slots come
// back once their leases run out (decisions/0013-tenant-step-slots.md).

/** What a claim got: a slot, or the count of live leases that filled the tenant's limit. */
export type SlotClaim = { granted: true } | { granted: false; held: number };

export type TenantStepSlotOptions = {
  /** The clock (epoch ms); tests move it. */
  now?: () => number;
};

export interface TenantStepSlotStore {
  /** Takes one of the tenant's `limit` slots for `holder` until `leaseMs` from now; refused while `limit` live leases exist. */
  claim(tenantId: string, holder: string, limit: number, leaseMs: number): Promise<SlotClaim>;
  /** Extends the holder's lease; false when it had already run out (the slot may be someone else's now). */
  renew(tenantId: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Gives the slot back (a holder that has none is a no-op). */
  release(tenantId: string, holder: string): Promise<void>;
  /** Live leases of the tenant now. */
  held(tenantId: string): Promise<number>;
  close(): Promise<void>;
}
