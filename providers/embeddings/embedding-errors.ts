// Failures of an embeddings endpoint, named so logs and callers can tell them apart.

/** Thrown when the embeddings endpoint fails or answers something that is not a usable vector. */
export class EmbeddingError extends Error {
  constructor(readonly model: string, readonly baseURL: string, message: string, readonly status?: number, options?: { cause?: unknown }) {
    super(`embeddings ${model} at ${baseURL}: ${message}`, options);
    this.name = 'EmbeddingError';
  }
}
