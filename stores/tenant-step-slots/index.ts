// Per-tenant step slots (leases that cap a tenant's running steps): the store contract, its Redis
// and in-process implementations, and the factory that picks one for the mode Keel runs in.
export type { SlotClaim, TenantStepSlotOptions, TenantStepSlotStore } from './tenant-step-slot-store';
export { createTenantStepSlotStore } from './create-tenant-step-slot-store';
export { InProcessTenantStepSlotStore } from './in-process-tenant-step-slot-store';
export { DEFAULT_STEP_SLOT_KEY_PREFIX, RedisTenantStepSlotStore, type RedisTenantStepSlotOptions } from './redis-tenant-step-slot-store';
