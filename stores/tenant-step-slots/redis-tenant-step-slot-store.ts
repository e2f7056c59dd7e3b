// Tenant step slots in Redis, shared by every worker: one sorted set per tenant under
// `keel:step-slots:`, its members the holders and their scores the lease ends. A claim is one Lua
// script (drop run-out leases, count, add), so workers racing for a tenant's last slot see one order.
import Redis from 'ioredis';
import { z } from 'zod';
import type { SlotClaim, TenantStepSlotOptions, TenantStepSlotStore } from './tenant-step-slot-store';

export const DEFAULT_STEP_SLOT_KEY_PREFIX = 'keel:step-slots:';

export type RedisTenantStepSlotOptions = TenantStepSlotOptions & {
  /** Prefix of every key; tests may keep apart with their own. */
  keyPrefix?: string;
};

/**
 * A set nobody claims in again is dropped by Redis once its longest lease could have run out (a
 * relative TTL: lease ends are the caller's clock, the key's expiry is Redis's).
 */
const KEEP_SET = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
`;

/**
 * KEYS[1] the tenant's set; ARGV[1] now, ARGV[2] holder, ARGV[3] lease end, ARGV[4] lease ms, ARGV[5] limit.
 * Returns { granted (0|1), live leases before the claim }.
 */
const CLAIM_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local held = redis.call('ZCARD', KEYS[1])
local mine = redis.call('ZSCORE', KEYS[1], ARGV[2])
if (not mine) and held >= tonumber(ARGV[5]) then return {0, held} end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
${KEEP_SET}
return {1, held}
`;

/** KEYS[1] the tenant's set; ARGV[1] now, ARGV[2] holder, ARGV[3] lease end, ARGV[4] lease ms. Returns 1 when the live lease was extended. */
const RENEW_SCRIPT = `
local lease = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[2]))
if lease == nil or lease <= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
${KEEP_SET}
return 1
`;

/** A script's reply comes from another process: parsed, not cast. */
const claimReply = z.tuple([z.union([z.literal(0), z.literal(1)]), z.number().int()]);

export class RedisTenantStepSlotStore implements TenantStepSlotStore {
  private readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly now: () => number;
  private readonly keyPrefix: string;

  /** Given a URL the store opens (and closes) its own connection; given a client it only borrows it. */
  constructor(redis: Redis | string, options: RedisTenantStepSlotOptions = {}) {
    this.ownsConnection = typeof redis === 'string';
    this.redis = typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 2 }) : redis;
    this.now = options.now ?? Date.now;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_STEP_SLOT_KEY_PREFIX;
  }

  async claim(tenantId: string, holder: string, limit: number, leaseMs: number): Promise<SlotClaim> {
    const now = this.now();
    const [granted, held] = claimReply.parse(await this.redis.eval(CLAIM_SCRIPT, 1, this.key(tenantId), now, holder, now + leaseMs, leaseMs, limit));
    return granted === 1 ? { granted: true } : { granted: false, held };
  }

  async renew(tenantId: string, holder: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    return z.number().parse(await this.redis.eval(RENEW_SCRIPT, 1, this.key(tenantId), now, holder, now + leaseMs, leaseMs)) === 1;
  }

  async release(tenantId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(tenantId), holder);
  }

  async held(tenantId: string): Promise<number> {
    return this.redis.zcount(this.key(tenantId), `(${this.now()}`, '+inf');
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(tenantId: string): string {
    return `${this.keyPrefix}${tenantId}`;
  }
}
