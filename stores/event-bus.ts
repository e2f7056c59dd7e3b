// The live half of a run's event stream: Redis pub/sub shared by every API and worker replica, or
// an in-process twin in embedded mode. Persisted events also live in PostgreSQL (events-repository).
import { EventEmitter } from 'node:events';
import Redis from 'ioredis';
import { BusMessageSchema, type BusMessage } from '../core/events';

export interface EventBus {
  publish(runId: string, message: BusMessage): void;
  /** Returns the unsubscribe function. */
  subscribe(runId: string, listener: (message: BusMessage) => void): Promise<() => void>;
  /**
   * Whether workers' events reach this process's subscribers now, and a number that changes
   * whenever that delivery was interrupted (a reconnect): a reader who saw the same epoch last
   * time and `live` true has missed nothing from the bus, so storage polls can be rare.
   */
  delivery(): { live: boolean; epoch: number };
  close(): Promise<void>;
}

export type InProcessEventBusOptions = {
  /** True when the worker runs in this process (npm run dev, tests): its events arrive here. */
  carriesWorkerEvents?: boolean;
};

export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  constructor(private readonly options: InProcessEventBusOptions = {}) {}

  delivery(): { live: boolean; epoch: number } {
    return { live: this.options.carriesWorkerEvents ?? false, epoch: 0 };
  }

  publish(runId: string, message: BusMessage): void {
    this.emitter.emit(runId, message);
  }

  async subscribe(runId: string, listener: (message: BusMessage) => void): Promise<() => void> {
    this.emitter.on(runId, listener);
    return () => this.emitter.off(runId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

const CHANNEL_PREFIX = 'keel:run:';

/** One publisher and one subscriber connection per process, multiplexing every run's channel. */
export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly local = new InProcessEventBus();
  private readonly counts = new Map<string, number>();
  /** Bumped on each (re)connection of the subscriber: messages published before it may be lost. */
  private epoch = 0;

  constructor(redisUrl: string) {
    this.publisher = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(redisUrl, { lazyConnect: false });
    // Connection errors are retried by ioredis; live deltas are best-effort, persisted events are not.
    this.publisher.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => { this.epoch += 1; });
    this.subscriber.on('message', (channel: string, payload: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        return; // A malformed payload is dropped; it cannot have come from Keel.
      }
      const message = BusMessageSchema.safeParse(parsed);
      if (!message.success) return; // Not a message Keel writes: dropped like unparsable JSON.
      try {
        this.local.publish(channel.slice(CHANNEL_PREFIX.length), message.data);
      } catch {
        // A listener's failure stays with the listener, as before parsing.
      }
    });
  }

  delivery(): { live: boolean; epoch: number } {
    return { live: this.subscriber.status === 'ready', epoch: this.epoch };
  }

  publish(runId: string, message: BusMessage): void {
    this.publisher.publish(CHANNEL_PREFIX + runId, JSON.stringify(message)).catch(() => undefined);
  }

  async subscribe(runId: string, listener: (message: BusMessage) => void): Promise<() => void> {
    const unsubscribeLocal = await this.local.subscribe(runId, listener);
    const count = this.counts.get(runId) ?? 0;
    this.counts.set(runId, count + 1);
    if (count === 0) await this.subscriber.subscribe(CHANNEL_PREFIX + runId);
    return () => {
      unsubscribeLocal();
      const remaining = (this.counts.get(runId) ?? 1) - 1;
      if (remaining > 0) this.counts.set(runId, remaining);
      else {
        this.counts.delete(runId);
        this.subscriber.unsubscribe(CHANNEL_PREFIX + runId).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    await this.local.close();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}

export function createEventBus(redisUrl: string | undefined, options: InProcessEventBusOptions = {}): EventBus {
  return redisUrl ? new RedisEventBus(redisUrl) : new InProcessEventBus(options);
}
