// Counting the tokens of one string with tiktoken: one encoder per encoding for the process lifetime,
// and a guard against BPE's quadratic cost on very long runs of one character class.
import { get_encoding, type Tiktoken } from 'tiktoken';
import type { EncodingName } from './model-encoding';

/**
 * A run of letters, whitespace or punctuation this long is one pre-tokenizer piece, and tiktoken's
 * BPE is quadratic in a piece's length (50,000 `=` take seconds). Such runs are counted in chunks
 * of this size instead: a cut can only stop merges, so the chunked count is an upper bound in
 * practice, and one token per cut is added to keep it so.
 */
export const LONG_RUN_CHARS = 1024;

const LONG_RUN = new RegExp(`\\p{L}{${LONG_RUN_CHARS},}|\\s{${LONG_RUN_CHARS},}|[^\\s\\p{L}\\p{N}]{${LONG_RUN_CHARS},}`, 'gu');

const encoders = new Map<EncodingName, Tiktoken>();

/** The shared encoder for an encoding; never freed, as there is one per encoding for the whole process. */
export function encoderFor(encodingName: EncodingName): Tiktoken {
  let encoder = encoders.get(encodingName);
  if (!encoder) {
    encoder = get_encoding(encodingName);
    encoders.set(encodingName, encoder);
  }
  return encoder;
}

/** `encode_ordinary`: text that looks like a special token (`<|endoftext|>`) is counted as the text it is. */
function encodedLength(encoder: Tiktoken, text: string): number {
  return text === '' ? 0 : encoder.encode_ordinary(text).length;
}

function chunkedLength(encoder: Tiktoken, run: string): number {
  let total = 1;
  for (let start = 0; start < run.length; start += LONG_RUN_CHARS) {
    total += encodedLength(encoder, run.slice(start, start + LONG_RUN_CHARS)) + 1;
  }
  return total;
}

/** Exactly tiktoken's count for ordinary text; a slight over-count for text holding very long runs. */
export function countTextTokens(encodingName: EncodingName, text: string): number {
  const encoder = encoderFor(encodingName);
  if (text.length < LONG_RUN_CHARS) return encodedLength(encoder, text);
  let total = 0;
  let position = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    total += encodedLength(encoder, text.slice(position, match.index)) + chunkedLength(encoder, match[0]);
    position = match.index + match[0].length;
  }
  return total + encodedLength(encoder, text.slice(position));
}
