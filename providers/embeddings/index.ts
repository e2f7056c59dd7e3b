// Embeddings providers behind core/memory's Embedder: OpenAI-compatible endpoints and the local
// lexical embedder.
export { createEmbedder, describeEmbedder } from './create-embedder';
export { EmbeddingError } from './embedding-errors';
export { LOCAL_EMBEDDER_LABEL, LOCAL_EMBEDDER_MODEL, LocalEmbedder, tokenize } from './local-embedder';
export { DEFAULT_EMBEDDINGS_TIMEOUT_MS, EMBEDDINGS_BATCH_SIZE, OpenAIEmbedder } from './openai-embedder';
export type { OpenAIEmbedderOptions } from './openai-embedder';
