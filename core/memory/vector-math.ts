// Vector arithmetic shared by the local embedder, the exact-search store and the benchmarks.

export function dot(left: readonly number[], right: readonly number[]): number {
  const length = Math.min(left.length, right.length);
  let sum = 0;
  for (let index = 0; index < length; index += 1) sum += left[index]! * right[index]!;
  return sum;
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
export function cosineSimilarity(left: readonly number[], right: readonly number[]): number {
  const norms = Math.sqrt(dot(left, left)) * Math.sqrt(dot(right, right));
  return norms === 0 ? 0 : dot(left, right) / norms;
}

/** Scales to unit length in place and returns the vector; an all-zero vector stays zero. */
export function normalizeInPlace(vector: number[]): number[] {
  const norm = Math.sqrt(dot(vector, vector));
  if (norm === 0) return vector;
  for (let index = 0; index < vector.length; index += 1) vector[index] = vector[index]! / norm;
  return vector;
}
