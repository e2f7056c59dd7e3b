// The local embedder: hashed character and word n-grams, L2-normalised, fixed dimensions. It is
// deterministic, needs no network and costs microseconds, but it is LEXICAL, NOT SEMANTIC: texts
// are close when they share wording ("prefers pnpm" ~ "pnpm preferred"), not when they share
// meaning ("likes cats" is far from "fond of felines"). The default for tests and offline use.
import type { Embedder } from '../../core/memory';
import { normalizeInPlace } from '../../core/memory';

export const LOCAL_EMBEDDER_MODEL = 'keel-lexical-hash-v1';
export const LOCAL_EMBEDDER_LABEL = 'lexical, not semantic';

/** Character n-gram lengths, taken inside word boundaries so "pnpm" and "npm" share a little. */
const CHARACTER_NGRAMS = [3, 4, 5] as const;
/** Words weigh more than single character n-grams: a shared word is stronger evidence. */
const WORD_WEIGHT = 2;
const WORD_BIGRAM_WEIGHT = 1.5;

export class LocalEmbedder implements Embedder {
  readonly model: string;
  readonly semantic = false;

  constructor(readonly dimensions = 384) {
    this.model = `${LOCAL_EMBEDDER_MODEL}-${dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    const words = tokenize(text);
    for (const [index, word] of words.entries()) {
      this.add(vector, `w:${word}`, WORD_WEIGHT);
      const next = words[index + 1];
      if (next !== undefined) this.add(vector, `b:${word} ${next}`, WORD_BIGRAM_WEIGHT);
      const padded = ` ${word} `;
      for (const size of CHARACTER_NGRAMS) {
        for (let start = 0; start + size <= padded.length; start += 1) this.add(vector, `c:${padded.slice(start, start + size)}`, 1);
      }
    }
    // Sublinear term frequency: a word repeated ten times is not ten times the evidence.
    for (let index = 0; index < vector.length; index += 1) {
      const value = vector[index]!;
      vector[index] = Math.sign(value) * Math.log1p(Math.abs(value));
    }
    return normalizeInPlace(vector);
  }

  private add(vector: number[], feature: string, weight: number): void {
    const hash = fnv1a(feature);
    // The hash's top bit picks the sign, so collisions cancel out on average instead of piling up.
    const sign = hash & 0x80000000 ? -1 : 1;
    const bucket = (hash & 0x7fffffff) % this.dimensions;
    vector[bucket] = vector[bucket]! + sign * weight;
  }
}

export function tokenize(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across processes and versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
