// The response cache in one process (embedded mode, or no Redis): a Map used as an LRU, bounded in
// entries, each entry with its own expiry. Entries are kept as JSON text so a caller can never
// mutate a cached reply through the object it was handed.
import { parseCachedResponse, type CachedResponse, type ResponseCacheStore } from './response-cache-store';

export const DEFAULT_IN_PROCESS_CACHE_ENTRIES = 2000;

export type InProcessResponseCacheOptions = { maxEntries?: number; now?: () => number };

export class InProcessResponseCacheStore implements ResponseCacheStore {
  readonly kind = 'in-process' as const;
  private readonly entries = new Map<string, { text: string; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: InProcessResponseCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_IN_PROCESS_CACHE_ENTRIES);
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-inserted: the Map's order is the recency order, oldest first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return parseCachedResponse(key, JSON.parse(entry.text));
  }

  async set(key: string, response: CachedResponse, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { text: JSON.stringify(response), expiresAt: this.now() + ttlSeconds * 1000 });
  }

  /** Entries held now, expired ones included until they are read or pushed out. */
  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
