// Circuit state in Redis, shared by every worker and API replica: one hash per model under
// `keel:circuit:`. Conditional transitions run as Lua scripts and unconditional ones as MULTI, so
// racing workers never see a half-applied state and only one of them wins a half-open trial.
import Redis from 'ioredis';
import { z } from 'zod';
import { HEALTH_HISTORY_LENGTH, type CircuitSnapshot, type CircuitState, type HealthCheck, type HealthReport } from '../../core/model-pool';
import {
  resolveCircuitOptions,
  type AcquireResult,
  type CircuitBreakerOptions,
  type CircuitBreakerStore,
  type ResolvedCircuitOptions,
} from './circuit-breaker-store';
import { acquireResult, recordFromHash, toSnapshot } from './circuit-record';
import { ACQUIRE_SCRIPT, FAILURE_SCRIPT } from './redis-circuit-scripts';

/** HGETALL's reply inside a pipeline is untyped: a circuit's fields are strings. */
const hashSchema = z.record(z.string(), z.string());

export const DEFAULT_CIRCUIT_KEY_PREFIX = 'keel:circuit:';

export type RedisCircuitBreakerOptions = CircuitBreakerOptions & {
  /** Prefix of every key; tests use `keel:circuit:<run>:` to stay apart. */
  keyPrefix?: string;
};

/** A health check as stored in a model's history list (another process wrote it: parsed, not cast). */
const storedHealthCheck = z.object({ at: z.number(), ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });

/** Fields a closed circuit does not have. */
const OPEN_FIELDS = ['openedAt', 'retryAt', 'trialLeaseUntil'] as const;

export class RedisCircuitBreakerStore implements CircuitBreakerStore {
  private readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly options: ResolvedCircuitOptions;
  private readonly keyPrefix: string;

  /** Given a URL the store opens (and closes) its own connection; given a client it only borrows it. */
  constructor(redis: Redis | string, options: RedisCircuitBreakerOptions = {}) {
    this.ownsConnection = typeof redis === 'string';
    this.redis = typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 2 }) : redis;
    this.options = resolveCircuitOptions(options);
    this.keyPrefix = options.keyPrefix ?? DEFAULT_CIRCUIT_KEY_PREFIX;
  }

  async state(modelId: string): Promise<CircuitState> {
    return (await this.snapshot(modelId)).state;
  }

  async snapshot(modelId: string): Promise<CircuitSnapshot> {
    const hash = await this.redis.hgetall(this.key(modelId));
    return toSnapshot(modelId, recordFromHash(hash), this.options.now());
  }

  async states(modelIds: readonly string[]): Promise<Record<string, CircuitSnapshot>> {
    if (modelIds.length === 0) return {};
    const pipeline = this.redis.pipeline();
    for (const modelId of modelIds) pipeline.hgetall(this.key(modelId));
    const replies = (await pipeline.exec()) ?? [];
    const now = this.options.now();
    return Object.fromEntries(
      modelIds.map((modelId, index) => {
        const [error, hash] = replies[index] ?? [new Error('no reply'), undefined];
        if (error) throw error;
        return [modelId, toSnapshot(modelId, recordFromHash(hashSchema.parse(hash ?? {})), now)];
      }),
    );
  }

  async acquire(modelId: string): Promise<AcquireResult> {
    const now = this.options.now();
    const reply = (await this.redis.eval(ACQUIRE_SCRIPT, 1, this.key(modelId), now, now + this.options.trialLeaseMs)) as [number, CircuitState, string];
    const [allowed, state, until] = reply;
    return acquireResult(state, allowed === 1, until === '' ? undefined : Number(until));
  }

  async recordSuccess(modelId: string): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(modelId), { state: 'closed', consecutiveFailures: 0 })
      .hdel(this.key(modelId), ...OPEN_FIELDS)
      .exec();
  }

  async recordFailure(modelId: string, error: string): Promise<CircuitSnapshot> {
    const now = this.options.now();
    const flat = (await this.redis.eval(FAILURE_SCRIPT, 1, this.key(modelId), now, this.options.failureThreshold, now + this.options.cooldownMs, error)) as string[];
    const hash: Record<string, string> = {};
    for (let index = 0; index + 1 < flat.length; index += 2) hash[flat[index]!] = flat[index + 1]!;
    return toSnapshot(modelId, recordFromHash(hash), now);
  }

  async recordHealth(modelId: string, report: HealthReport): Promise<void> {
    const key = this.key(modelId);
    const at = this.options.now();
    const observed = { lastLatencyMs: report.latencyMs, lastCheckedAt: at, lastHealthOk: report.ok ? 1 : 0, ...(report.error !== undefined && { lastError: report.error }) };
    const check: HealthCheck = { at, ok: report.ok, latencyMs: report.latencyMs, ...(report.error !== undefined && { error: report.error }) };
    const transaction = this.redis.multi()
      .rpush(this.historyKey(modelId), JSON.stringify(check))
      .ltrim(this.historyKey(modelId), -HEALTH_HISTORY_LENGTH, -1);
    if (!report.ok) transaction.hset(key, observed);
    else transaction.hset(key, { ...observed, state: 'closed', consecutiveFailures: 0 }).hdel(key, ...OPEN_FIELDS);
    await transaction.exec();
  }

  async healthChecks(modelIds: readonly string[]): Promise<Record<string, HealthCheck[]>> {
    if (modelIds.length === 0) return {};
    const pipeline = this.redis.pipeline();
    for (const modelId of modelIds) pipeline.lrange(this.historyKey(modelId), 0, -1);
    const replies = (await pipeline.exec()) ?? [];
    return Object.fromEntries(modelIds.map((modelId, index) => {
      const [error, entries] = replies[index] ?? [new Error('no reply'), undefined];
      if (error) throw error;
      const checks = (entries as string[]).flatMap((entry) => {
        try {
          const parsed = storedHealthCheck.safeParse(JSON.parse(entry));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
      return [modelId, checks];
    }));
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(modelId: string): string {
    return this.keyPrefix + modelId;
  }

  /** Beside the circuit hash; `#` keeps it apart from any model id's own key. */
  private historyKey(modelId: string): string {
    return `${this.keyPrefix}${modelId}#health`;
  }
}
