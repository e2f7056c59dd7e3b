// Reads semantic memory's settings from the environment: which embedder (an OpenAI-compatible
// endpoint, or the local lexical one when none is configured), which notes store, and ranking.
import { ConfigError } from '../config-error';
import { positiveInteger, positiveNumber } from '../config-values';
import { DEFAULT_MEMORY_SETTINGS, type MemorySettings } from './memory-settings';

export const LOCAL_EMBEDDING_DIMENSIONS = 384;
export const DEFAULT_EMBEDDINGS_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_PINECONE_API_KEY_ENV = 'PINECONE_API_KEY';
export const NOTES_STORE_KINDS = ['pgvector', 'exact', 'pinecone'] as const;
export type NotesStoreKind = (typeof NOTES_STORE_KINDS)[number];

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

export function readMemoryConfig(environment: Environment): MemoryConfig {
  const store = readStore(environment.KEEL_NOTES_STORE);
  return {
    embeddings: readEmbeddings(environment),
    store,
    pinecone: store === 'pinecone' ? readPinecone(environment) : undefined,
    settings: readSettings(environment),
  };
}

function readEmbeddings(environment: Environment): EmbeddingsConfig {
  const baseURL = environment.KEEL_EMBEDDINGS_BASE_URL || undefined;
  const model = environment.KEEL_EMBEDDINGS_MODEL || undefined;
  const dimensionsText = environment.KEEL_EMBEDDINGS_DIMENSIONS || undefined;
  const apiKeyEnv = environment.KEEL_EMBEDDINGS_API_KEY_ENV || undefined;
  if (!baseURL && !model) {
    return { provider: 'local', dimensions: dimensionsText ? positiveInteger(dimensionsText, 'embeddings.dimensions', 'KEEL_EMBEDDINGS_DIMENSIONS') : LOCAL_EMBEDDING_DIMENSIONS };
  }
  if (!model) throw new ConfigError('embeddings.model', 'KEEL_EMBEDDINGS_MODEL', `KEEL_EMBEDDINGS_BASE_URL is set (${baseURL}) but no model; set the embeddings model name, e.g. text-embedding-3-small`);
  if (!dimensionsText) {
    throw new ConfigError('embeddings.dimensions', 'KEEL_EMBEDDINGS_DIMENSIONS', `set the vector size of ${model} (e.g. 1536 for text-embedding-3-small); the store's index is built for it`);
  }
  if (apiKeyEnv && !/^[A-Z_][A-Z0-9_]*$/.test(apiKeyEnv)) {
    throw new ConfigError('embeddings.apiKeyEnv', 'KEEL_EMBEDDINGS_API_KEY_ENV', 'must name an environment variable (e.g. OPENAI_API_KEY), never hold the key itself');
  }
  return {
    provider: 'openai',
    baseURL: baseURL ?? DEFAULT_EMBEDDINGS_BASE_URL,
    model,
    dimensions: positiveInteger(dimensionsText, 'embeddings.dimensions', 'KEEL_EMBEDDINGS_DIMENSIONS'),
    apiKeyEnv,
  };
}

function readStore(value: string | undefined): NotesStoreKind {
  if (!value) return 'pgvector';
  if ((NOTES_STORE_KINDS as readonly string[]).includes(value)) return value as NotesStoreKind;
  throw new ConfigError('memory.store', 'KEEL_NOTES_STORE', `"${value}" is not a notes store; use ${NOTES_STORE_KINDS.join(', ')}`);
}

function readPinecone(environment: Environment): { host: string; apiKeyEnv: string } {
  const host = environment.KEEL_PINECONE_HOST;
  if (!host) throw new ConfigError('memory.pinecone.host', 'KEEL_PINECONE_HOST', 'KEEL_NOTES_STORE=pinecone needs the index host (https://<index>-<project>.svc.<region>.pinecone.io)');
  return { host, apiKeyEnv: environment.KEEL_PINECONE_API_KEY_ENV || DEFAULT_PINECONE_API_KEY_ENV };
}

function readSettings(environment: Environment): MemorySettings {
  const defaults = DEFAULT_MEMORY_SETTINGS;
  return {
    mergeSimilarity: environment.KEEL_MEMORY_MERGE_SIMILARITY
      ? unitNumber(environment.KEEL_MEMORY_MERGE_SIMILARITY, 'memory.mergeSimilarity', 'KEEL_MEMORY_MERGE_SIMILARITY')
      : defaults.mergeSimilarity,
    searchCandidates: environment.KEEL_MEMORY_CANDIDATES
      ? positiveInteger(environment.KEEL_MEMORY_CANDIDATES, 'memory.searchCandidates', 'KEEL_MEMORY_CANDIDATES')
      : defaults.searchCandidates,
    halfLifeDays: environment.KEEL_MEMORY_HALF_LIFE_DAYS
      ? positiveNumber(environment.KEEL_MEMORY_HALF_LIFE_DAYS, 'memory.halfLifeDays', 'KEEL_MEMORY_HALF_LIFE_DAYS')
      : defaults.halfLifeDays,
    weights: environment.KEEL_MEMORY_WEIGHTS ? readWeights(environment.KEEL_MEMORY_WEIGHTS) : defaults.weights,
  };
}

function readWeights(text: string): MemorySettings['weights'] {
  const parts = text.split(',').map((part) => Number(part.trim()));
  if (parts.length !== 3 || parts.some((part) => !Number.isFinite(part) || part < 0)) {
    throw new ConfigError('memory.weights', 'KEEL_MEMORY_WEIGHTS', `"${text}" is not three non-negative numbers "similarity,importance,recency" (default 0.7,0.2,0.1)`);
  }
  const [similarity, importance, recency] = parts as [number, number, number];
  return { similarity, importance, recency };
}

function unitNumber(text: string, setting: string, variable: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new ConfigError(setting, variable, `"${text}" is not a number from 0 to 1`);
  return value;
}
