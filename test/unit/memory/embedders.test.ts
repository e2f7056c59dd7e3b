// The embedders: the local lexical one (deterministic, unit length, wording not meaning) and the
// OpenAI-compatible client against a real HTTP server speaking POST /v1/embeddings (the local
// model server), through the official SDK.
import { cosineSimilarity, dot } from '../../../core/memory';
import { loadConfig, ConfigError } from '../../../core/config';
import { EmbeddingError, LocalEmbedder, OpenAIEmbedder, createEmbedder, describeEmbedder } from '../../../providers/embeddings';
import { useModelServer } from '../providers/model-server-fixture';

describe('the local embedder', () => {
  const embedder = new LocalEmbedder(384);

  it('is deterministic, unit length and of the configured size', async () => {
    const [first, second] = await embedder.embed(['The user prefers pnpm.', 'The user prefers pnpm.']);
    expect(first).toHaveLength(384);
    expect(first).toEqual(second);
    expect(dot(first!, first!)).toBeCloseTo(1, 10);
    expect(new LocalEmbedder(64).embedOne('abc')).toHaveLength(64);
  });

  it('puts shared wording close and unrelated wording far', () => {
    const similar = cosineSimilarity(embedder.embedOne('The user prefers dark mode in the editor.'), embedder.embedOne('The user prefers the dark mode in the editor.'));
    const unrelated = cosineSimilarity(embedder.embedOne('The user prefers dark mode in the editor.'), embedder.embedOne('Invoices are due within 30 days.'));
    expect(similar).toBeGreaterThan(0.9);
    expect(unrelated).toBeLessThan(0.3);
  });

  it('is lexical, not semantic, and says so', () => {
    // Same meaning, no shared words: the local embedder cannot tell.
    expect(cosineSimilarity(embedder.embedOne('likes cats'), embedder.embedOne('fond of felines'))).toBeLessThan(0.3);
    expect(embedder.semantic).toBe(false);
    expect(describeEmbedder(embedder)).toContain('LEXICAL, NOT SEMANTIC');
  });

  it('embeds empty text as the zero vector', () => {
    expect(embedder.embedOne('  ...  ').every((value) => value === 0)).toBe(true);
  });
});

describe('the OpenAI-compatible embeddings client', () => {
  const server = useModelServer();

  it('gets unit vectors in input order from POST /v1/embeddings', async () => {
    const client = new OpenAIEmbedder({ baseURL: server().openaiBaseURL, model: 'text-embedding-local', dimensions: 256 });
    const texts = Array.from({ length: 5 }, (_, index) => `fact number ${index} about the deploy pipeline`);
    const vectors = await client.embed(texts);
    expect(vectors).toHaveLength(5);
    const local = new LocalEmbedder(256);
    vectors.forEach((vector, index) => {
      expect(vector).toHaveLength(256);
      // The server answers with the local embedder's vectors (sent as base64 float32 by the SDK).
      expect(cosineSimilarity(vector, local.embedOne(texts[index]!))).toBeCloseTo(1, 5);
    });
    expect(client.semantic).toBe(true);
  });

  it('fails with a named error carrying the status when the endpoint rejects the request', async () => {
    const client = new OpenAIEmbedder({ baseURL: server().openaiBaseURL, model: 'text-embedding-local', dimensions: 4097, maxRetries: 0 });
    await expect(client.embed(['x'])).rejects.toThrow(EmbeddingError);
    await expect(client.embed(['x'])).rejects.toMatchObject({ status: 400, message: expect.stringContaining('text-embedding-local') });
  });

  it('fails with a named error when the endpoint is missing', async () => {
    const client = new OpenAIEmbedder({ baseURL: `${server().url}/nowhere`, model: 'm', dimensions: 8, maxRetries: 0 });
    await expect(client.embed(['x'])).rejects.toMatchObject({ name: 'EmbeddingError', status: 404 });
  });

  it('refuses to start without the key its configuration names', () => {
    expect(() => new OpenAIEmbedder({ baseURL: 'http://127.0.0.1:1/v1', model: 'm', dimensions: 8, apiKeyEnv: 'KEEL_TEST_NO_SUCH_KEY' }, {})).toThrow(/KEEL_TEST_NO_SUCH_KEY/);
  });
});

describe('embeddings configuration', () => {
  it('uses the local embedder with 384 dimensions when nothing is configured', () => {
    const config = loadConfig({});
    expect(config.memory.embeddings).toEqual({ provider: 'local', dimensions: 384 });
    expect(config.memory.store).toBe('pgvector');
    expect(createEmbedder(config.memory.embeddings)).toBeInstanceOf(LocalEmbedder);
  });

  it('reads an OpenAI-compatible endpoint, its model, size and key variable', () => {
    const config = loadConfig({
      KEEL_EMBEDDINGS_BASE_URL: 'http://127.0.0.1:4010/v1', KEEL_EMBEDDINGS_MODEL: 'text-embedding-3-small',
      KEEL_EMBEDDINGS_DIMENSIONS: '1536', KEEL_EMBEDDINGS_API_KEY_ENV: 'OPENAI_API_KEY',
      KEEL_MEMORY_WEIGHTS: '0.6,0.3,0.1', KEEL_MEMORY_HALF_LIFE_DAYS: '7', KEEL_MEMORY_MERGE_SIMILARITY: '0.85',
    });
    expect(config.memory.embeddings).toEqual({ provider: 'openai', baseURL: 'http://127.0.0.1:4010/v1', model: 'text-embedding-3-small', dimensions: 1536, apiKeyEnv: 'OPENAI_API_KEY' });
    expect(config.memory.settings).toMatchObject({ weights: { similarity: 0.6, importance: 0.3, recency: 0.1 }, halfLifeDays: 7, mergeSimilarity: 0.85 });
  });

  it('names the variable to fix', () => {
    expect(() => loadConfig({ KEEL_EMBEDDINGS_MODEL: 'text-embedding-3-small' })).toThrow(/KEEL_EMBEDDINGS_DIMENSIONS/);
    expect(() => loadConfig({ KEEL_EMBEDDINGS_BASE_URL: 'http://x/v1' })).toThrow(/KEEL_EMBEDDINGS_MODEL/);
    expect(() => loadConfig({ KEEL_EMBEDDINGS_MODEL: 'm', KEEL_EMBEDDINGS_DIMENSIONS: '8', KEEL_EMBEDDINGS_API_KEY_ENV: 'sk-live-123' })).toThrow(ConfigError);
    expect(() => loadConfig({ KEEL_NOTES_STORE: 'faiss' })).toThrow(/KEEL_NOTES_STORE/);
    expect(() => loadConfig({ KEEL_NOTES_STORE: 'pinecone' })).toThrow(/KEEL_PINECONE_HOST/);
    expect(() => loadConfig({ KEEL_MEMORY_WEIGHTS: '0.7,0.3' })).toThrow(/KEEL_MEMORY_WEIGHTS/);
  });
});
