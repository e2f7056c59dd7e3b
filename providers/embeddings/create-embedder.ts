// Builds the configured embedder; with nothing configured, the local lexical one.
import type { Embedder } from '../../core/memory';
import type { EmbeddingsConfig } from '../../core/memory/memory-config';
import { LocalEmbedder } from './local-embedder';
import { OpenAIEmbedder } from './openai-embedder';

export function createEmbedder(config: EmbeddingsConfig, environment: NodeJS.ProcessEnv = process.env): Embedder {
  if (config.provider === 'local') return new LocalEmbedder(config.dimensions);
  return new OpenAIEmbedder({ baseURL: config.baseURL, model: config.model, dimensions: config.dimensions, apiKeyEnv: config.apiKeyEnv }, environment);
}

/** The start-up line that says which embedder recall runs on, and what that means. */
export function describeEmbedder(embedder: Embedder): string {
  return embedder.semantic
    ? `notes: embeddings by ${embedder.model} (${embedder.dimensions} dimensions)`
    : `notes: local embedder ${embedder.model} is LEXICAL, NOT SEMANTIC (shared wording, not meaning); set KEEL_EMBEDDINGS_MODEL and KEEL_EMBEDDINGS_BASE_URL for semantic recall`;
}
