// Tenant step slots for the embedded mode: the same leases as the Redis store, in a Map, so the limit
// holds per process. Each method reads and writes without awaiting in between, so concurrent
// claims in one process see one state.
import type { SlotClaim, TenantStepSlotOptions, TenantStepSlotStore } from './tenant-step-slot-store';

export class InProcessTenantStepSlotStore implements TenantStepSlotStore {
  /** Per tenant: holder → lease end (epoch ms). */
  private readonly leases = new Map<string, Map<string, number>>();
  private readonly now: () => number;

  constructor(options: TenantStepSlotOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async claim(tenantId: string, holder: string, limit: number, leaseMs: number): Promise<SlotClaim> {
    const leases = this.live(tenantId);
    if (!leases.has(holder) && leases.size >= limit) return { granted: false, held: leases.size };
    leases.set(holder, this.now() + leaseMs);
    this.leases.set(tenantId, leases);
    return { granted: true };
  }

  async renew(tenantId: string, holder: string, leaseMs: number): Promise<boolean> {
    const leases = this.live(tenantId);
    if (!leases.has(holder)) return false;
    leases.set(holder, this.now() + leaseMs);
    return true;
  }

  async release(tenantId: string, holder: string): Promise<void> {
    const leases = this.leases.get(tenantId);
    leases?.delete(holder);
    if (leases?.size === 0) this.leases.delete(tenantId);
  }

  async held(tenantId: string): Promise<number> {
    return this.live(tenantId).size;
  }

  async close(): Promise<void> {
    this.leases.clear();
  }

  /** The tenant's leases with the ones that ran out dropped. */
  private live(tenantId: string): Map<string, number> {
    const leases = this.leases.get(tenantId) ?? new Map<string, number>();
    const now = this.now();
    for (const [holder, until] of leases) if (until <= now) leases.delete(holder);
    return leases;
  }
}
