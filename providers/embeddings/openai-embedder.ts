// An OpenAI-compatible embeddings client on the official `openai` SDK: OpenAI itself, vLLM,
// Ollama, or Keel's local model server (`POST /v1/embeddings`). Vectors are checked for length and
// normalised, so cosine distance means the same whatever the endpoint returns.
import OpenAI from 'openai';
import type { Embedder } from '../../core/memory';
import { normalizeInPlace } from '../../core/memory';
import { LOCAL_API_KEY_PLACEHOLDER } from '../api-key';
import { EmbeddingError } from './embedding-errors';
import { errorMessage } from '../../core/error-message';

export const DEFAULT_EMBEDDINGS_TIMEOUT_MS = 30_000;
/** Inputs per request; OpenAI accepts 2048, smaller batches keep one failure cheap. */
export const EMBEDDINGS_BATCH_SIZE = 256;

export type OpenAIEmbedderOptions = {
  baseURL: string;
  model: string;
  dimensions: number;
  /** Name of the environment variable holding the key; local servers need none. */
  apiKeyEnv?: string;
  timeoutMs?: number;
  maxRetries?: number;
};

export class OpenAIEmbedder implements Embedder {
  readonly semantic = true;
  readonly model: string;
  readonly dimensions: number;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIEmbedderOptions, environment: NodeJS.ProcessEnv = process.env) {
    this.model = options.model;
    this.dimensions = options.dimensions;
    const apiKey = options.apiKeyEnv ? environment[options.apiKeyEnv] : LOCAL_API_KEY_PLACEHOLDER;
    if (!apiKey) throw new EmbeddingError(options.model, options.baseURL, `environment variable ${options.apiKeyEnv} (its API key) is not set`);
    this.client = new OpenAI({ apiKey, baseURL: options.baseURL, timeout: options.timeoutMs ?? DEFAULT_EMBEDDINGS_TIMEOUT_MS, maxRetries: options.maxRetries ?? 2 });
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += EMBEDDINGS_BATCH_SIZE) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + EMBEDDINGS_BATCH_SIZE))));
    }
    return vectors;
  }

  private async embedBatch(texts: string[]): Promise<number[][]> {
    const { model, baseURL, dimensions } = this.options;
    let response: OpenAI.CreateEmbeddingResponse;
    try {
      response = await this.client.embeddings.create({ model, input: texts, dimensions, encoding_format: 'float' });
    } catch (error) {
      const status = error instanceof OpenAI.APIError ? error.status : undefined;
      throw new EmbeddingError(model, baseURL, errorMessage(error), status, { cause: error });
    }
    // The API may answer out of order; `index` says which input each vector belongs to.
    const vectors = new Array<number[] | undefined>(texts.length);
    for (const item of response.data) {
      if (!Array.isArray(item.embedding) || item.embedding.length !== dimensions) {
        throw new EmbeddingError(model, baseURL, `vector ${item.index} has ${Array.isArray(item.embedding) ? item.embedding.length : 'no'} dimensions, expected ${dimensions} (KEEL_EMBEDDINGS_DIMENSIONS)`);
      }
      vectors[item.index] = normalizeInPlace([...item.embedding]);
    }
    const missing = vectors.findIndex((vector) => vector === undefined);
    if (missing >= 0) throw new EmbeddingError(model, baseURL, `no vector for input ${missing} of ${texts.length}`);
    return vectors as number[][];
  }
}
