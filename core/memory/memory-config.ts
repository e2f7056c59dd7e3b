// Reads semantic memory's settings from the environment: which embedder (an OpenAI-compatible
// endpoint, or the local lexical one when none is configured), which notes store, and ranking.
import { parseKeelEnvironment, type KeelEnvironment } from '../environment-schema';
import { DEFAULT_MEMORY_SETTINGS, type MemorySettings } from './memory-settings';

export const LOCAL_EMBEDDING_DIMENSIONS = 384;
export const DEFAULT_EMBEDDINGS_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_PINECONE_API_KEY_ENV = 'PINECONE_API_KEY';
export { NOTES_STORE_KINDS, type NotesStoreKind } from './notes-store-kinds';
import type { NotesStoreKind } from './notes-store-kinds';

export type EmbeddingsConfig =
  | { provider: 'local'; dimensions: number }
  | { provider: 'openai'; baseURL: string; model: string; dimensions: number; apiKeyEnv?: string };

export type MemoryConfig = {
  embeddings: EmbeddingsConfig;
  /** `pgvector` falls back to exact search (with a warning) when PostgreSQL lacks the extension. */
  store: NotesStoreKind;
  pinecone?: { host: string; apiKeyEnv: string };
  settings: MemorySettings;
};

type Environment = Record<string, string | undefined>;

/** Memory's settings from the environment; every malformed variable is named (core/environment-schema.ts). */
export function readMemoryConfig(environment: Environment): MemoryConfig {
  return memoryConfigFrom(parseKeelEnvironment(environment));
}

export function memoryConfigFrom(environment: KeelEnvironment): MemoryConfig {
  const store = environment.KEEL_NOTES_STORE ?? 'pgvector';
  return {
    embeddings: embeddingsFrom(environment),
    store,
    // The schema refuses pinecone without a host, so the host is there when the store is.
    pinecone: store === 'pinecone' && environment.KEEL_PINECONE_HOST
      ? { host: environment.KEEL_PINECONE_HOST, apiKeyEnv: environment.KEEL_PINECONE_API_KEY_ENV ?? DEFAULT_PINECONE_API_KEY_ENV }
      : undefined,
    settings: {
      mergeSimilarity: environment.KEEL_MEMORY_MERGE_SIMILARITY ?? DEFAULT_MEMORY_SETTINGS.mergeSimilarity,
      searchCandidates: environment.KEEL_MEMORY_CANDIDATES ?? DEFAULT_MEMORY_SETTINGS.searchCandidates,
      halfLifeDays: environment.KEEL_MEMORY_HALF_LIFE_DAYS ?? DEFAULT_MEMORY_SETTINGS.halfLifeDays,
      weights: weightsFrom(environment.KEEL_MEMORY_WEIGHTS) ?? DEFAULT_MEMORY_SETTINGS.weights,
    },
  };
}

function embeddingsFrom(environment: KeelEnvironment): EmbeddingsConfig {
  const model = environment.KEEL_EMBEDDINGS_MODEL;
  // Without a model (the schema refuses a base URL alone) the local lexical embedder is used.
  if (!model || environment.KEEL_EMBEDDINGS_DIMENSIONS === undefined) {
    return { provider: 'local', dimensions: environment.KEEL_EMBEDDINGS_DIMENSIONS ?? LOCAL_EMBEDDING_DIMENSIONS };
  }
  return {
    provider: 'openai',
    baseURL: environment.KEEL_EMBEDDINGS_BASE_URL ?? DEFAULT_EMBEDDINGS_BASE_URL,
    model,
    dimensions: environment.KEEL_EMBEDDINGS_DIMENSIONS,
    apiKeyEnv: environment.KEEL_EMBEDDINGS_API_KEY_ENV,
  };
}

function weightsFrom(parts: number[] | undefined): MemorySettings['weights'] | undefined {
  if (!parts) return undefined;
  const [similarity, importance, recency] = parts as [number, number, number];
  return { similarity, importance, recency };
}
