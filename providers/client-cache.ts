// A small cache of SDK clients per (provider, base URL, key variable), so every call reuses
// the client's connection pool; a changed key value builds a fresh client.
import type { ModelSpec } from '../core/model-spec';
import { resolveApiKey } from './api-key';

/** Clients kept per provider kind; the oldest is dropped beyond this. */
export const MAX_CACHED_CLIENTS = 32;

export type ClientSettings = { apiKey: string; baseURL?: string };

export class ClientCache<Client> {
  private readonly clients = new Map<string, { apiKey: string; client: Client }>();

  constructor(private readonly create: (settings: ClientSettings) => Client) {}

  /** The client for a spec and the key it uses (so errors can be scrubbed of it). */
  get(spec: ModelSpec): { client: Client; apiKey: string } {
    const apiKey = resolveApiKey(spec);
    const cacheKey = `${spec.provider}\u0000${spec.baseURL ?? ''}\u0000${spec.apiKeyEnv ?? ''}`;
    const cached = this.clients.get(cacheKey);
    if (cached && cached.apiKey === apiKey) return cached;
    if (!cached && this.clients.size >= MAX_CACHED_CLIENTS) {
      const oldest = this.clients.keys().next();
      if (!oldest.done) this.clients.delete(oldest.value);
    }
    const entry = { apiKey, client: this.create({ apiKey, baseURL: spec.baseURL }) };
    this.clients.set(cacheKey, entry);
    return entry;
  }
}
