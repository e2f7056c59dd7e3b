// Readiness of the API's dependencies: PostgreSQL, Temporal, Redis (when configured) and workers
// polling the task queue. Each probe has its own deadline, so a hung dependency answers "down"
// within that time instead of hanging /readyz.
import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import Redis from 'ioredis';
import type { Database } from '../../stores/database';
import { errorMessage } from '../../core/error-message';

/** Long enough for a loaded database, short enough for a load balancer's probe (often 5 s). */
export const PROBE_TIMEOUT_MS = 2000;

export type DependencyName = 'postgres' | 'temporal' | 'redis' | 'workers';
export type DependencyStatus = { status: 'up' | 'down'; latencyMs: number; error?: string };
export type Readiness = { status: 'ready' | 'not_ready'; dependencies: Partial<Record<DependencyName, DependencyStatus>> };

/** Thrown when a probe did not answer within its deadline. */
export class ProbeTimeoutError extends Error {
  constructor(readonly dependency: DependencyName, readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

export type ReadinessOptions = {
  db: Database;
  client: Client;
  namespace: string;
  taskQueue: string;
  redisUrl?: string;
  timeoutMs?: number;
};

export class ReadinessProbes {
  private readonly redis?: Redis;
  private readonly timeoutMs: number;

  constructor(private readonly options: ReadinessOptions) {
    this.timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
    // Its own connection: the bus's publisher retries quietly and would hide an outage from a probe.
    this.redis = options.redisUrl
      ? new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: this.timeoutMs, retryStrategy: () => 1000 })
      : undefined;
    this.redis?.on('error', () => undefined);
  }

  async check(): Promise<Readiness> {
    const probes: Array<[DependencyName, () => Promise<unknown>]> = [
      ['postgres', () => this.options.db.execute(sql`select 1`)],
      ['temporal', () => this.options.client.workflowService.getSystemInfo({})],
      ['workers', () => this.pollers()],
    ];
    if (this.redis) probes.push(['redis', () => this.pingRedis()]);
    const results = await Promise.all(probes.map(async ([name, probe]) => [name, await this.timed(name, probe)] as const));
    const dependencies = Object.fromEntries(results) as Readiness['dependencies'];
    const ready = results.every(([, result]) => result.status === 'up');
    return { status: ready ? 'ready' : 'not_ready', dependencies };
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }

  private async pollers(): Promise<void> {
    const answer = await this.options.client.workflowService.describeTaskQueue({
      namespace: this.options.namespace,
      taskQueue: { name: this.options.taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW: a worker that polls workflows also runs the activities.
    });
    if ((answer.pollers ?? []).length === 0) throw new Error(`no worker polls task queue "${this.options.taskQueue}"`);
  }

  private async pingRedis(): Promise<void> {
    const redis = this.redis!;
    if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
    await redis.ping();
  }

  private async timed(name: DependencyName, probe: () => Promise<unknown>): Promise<DependencyStatus> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProbeTimeoutError(name, this.timeoutMs)), this.timeoutMs);
    });
    try {
      await Promise.race([probe(), deadline]);
      return { status: 'up', latencyMs: elapsed(started) };
    } catch (error) {
      return { status: 'down', latencyMs: elapsed(started), error: describeFailure(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);

/** drizzle wraps the driver's error ("Failed query: …"); the operator needs the cause (ECONNREFUSED…). */
function describeFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? errorMessage(error.cause) || (error.cause as { code?: string }).code : undefined;
  return cause ? cause : errorMessage(error);
}
