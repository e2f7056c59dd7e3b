// Picks the tenant step slot store for the mode Keel runs in: Redis when a URL is configured (the
// limit holds across every worker), the in-process twin otherwise (the limit holds per process).
import { InProcessTenantStepSlotStore } from './in-process-tenant-step-slot-store';
import { RedisTenantStepSlotStore, type RedisTenantStepSlotOptions } from './redis-tenant-step-slot-store';
import type { TenantStepSlotStore } from './tenant-step-slot-store';

export function createTenantStepSlotStore(redisUrl: string | undefined, options: RedisTenantStepSlotOptions = {}): TenantStepSlotStore {
  if (redisUrl) return new RedisTenantStepSlotStore(redisUrl, options);
  const { keyPrefix: _keyPrefix, ...inProcessOptions } = options;
  return new InProcessTenantStepSlotStore(inProcessOptions);
}
