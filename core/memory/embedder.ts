// What semantic memory needs from an embeddings provider (providers/embeddings implements it);
// declared here so stores and the API depend on the shape, not on an SDK.

export interface Embedder {
  /** Names the model and dimensions, stored with each vector (vectors of two embedders never mix). */
  readonly model: string;
  readonly dimensions: number;
  /** False for the local lexical embedder: similar wording, not similar meaning. */
  readonly semantic: boolean;
  /** One unit-length vector per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
