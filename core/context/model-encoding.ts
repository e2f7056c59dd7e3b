// Which tokenizer counts a model's tokens, and whether that count is exact or an estimate to calibrate.
// OpenAI models map to their published encodings; everything else is counted with cl100k_base.
import type { ProviderKind } from '../messages';

export const ENCODING_NAMES = { o200k: 'o200k_base', cl100k: 'cl100k_base' } as const;
export type EncodingName = (typeof ENCODING_NAMES)[keyof typeof ENCODING_NAMES];

/** Model-name prefixes (after any `family/` prefix, lower case) tokenised with o200k_base. */
export const O200K_MODEL_PREFIXES = ['gpt-4o', 'chatgpt-4o', 'gpt-4.1', 'gpt-4.5', 'gpt-5', 'o1', 'o3', 'o4'] as const;

/** Model-name prefixes tokenised with cl100k_base (checked after the o200k ones: `gpt-4o` starts with `gpt-4`). */
export const CL100K_MODEL_PREFIXES = ['gpt-4', 'gpt-3.5', 'gpt-35', 'text-embedding-3', 'text-embedding-ada-002'] as const;

/** Substrings naming model families with their own (unpublished) tokenizers, counted as a calibrated estimate. */
export const ESTIMATED_MODEL_MARKERS = ['claude', 'minimax'] as const;

export type ModelEncoding = {
  encodingName: EncodingName;
  /** True only when the encoding is the model's own tokenizer. */
  exact: boolean;
};

/** `ollama/gpt-4o-mini` and `openai/gpt-4o` name the same tokenizer as `gpt-4o-mini`. */
function bareModelName(modelName: string): string {
  return modelName.slice(modelName.lastIndexOf('/') + 1).toLowerCase();
}

export function encodingForModel(modelName: string, provider: ProviderKind): ModelEncoding {
  const name = bareModelName(modelName);
  const lowerFull = modelName.toLowerCase();
  const estimated = provider === 'anthropic' || ESTIMATED_MODEL_MARKERS.some((marker) => lowerFull.includes(marker));
  if (estimated) return { encodingName: ENCODING_NAMES.cl100k, exact: false };
  if (O200K_MODEL_PREFIXES.some((prefix) => name.startsWith(prefix))) return { encodingName: ENCODING_NAMES.o200k, exact: true };
  if (CL100K_MODEL_PREFIXES.some((prefix) => name.startsWith(prefix))) return { encodingName: ENCODING_NAMES.cl100k, exact: true };
  // Unknown OpenAI-compatible models (DeepSeek, Qwen, Llama on vLLM or Ollama) have their own tokenizers.
  return { encodingName: ENCODING_NAMES.cl100k, exact: false };
}
