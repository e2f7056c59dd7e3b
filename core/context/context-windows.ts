// How many tokens a model reads and writes in one call: the spec's own `contextWindow` (pool models
// always have one), else a documented default for the model's family, else a conservative default.

/** Unknown models get this window: small enough for most current models, configurable (KEEL_DEFAULT_CONTEXT_WINDOW). */
export const DEFAULT_CONTEXT_WINDOW = 32_768;

/**
 * Published windows by model-name prefix (after any `family/` prefix, lower case), most specific first.
 * Sources: the providers' model pages (OpenAI, Anthropic, MiniMax, DeepSeek) as of 2026.
 */
export const FAMILY_CONTEXT_WINDOWS: ReadonlyArray<readonly [prefix: string, tokens: number]> = [
  ['gpt-4.1', 1_047_576],
  ['gpt-5', 400_000],
  ['gpt-4o', 128_000],
  ['chatgpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['gpt-4', 8_192],
  ['gpt-3.5', 16_385],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4', 200_000],
  ['claude', 200_000],
  ['minimax', 204_800],
  ['deepseek', 128_000],
];

export type WindowSource = { contextWindow?: number; model: string };

export function familyContextWindow(modelName: string): number | undefined {
  const name = modelName.slice(modelName.lastIndexOf('/') + 1).toLowerCase();
  return FAMILY_CONTEXT_WINDOWS.find(([prefix]) => name.startsWith(prefix))?.[1];
}

/** The window to fit a request into: explicit, then the family's, then `fallback`. */
export function contextWindowOf(spec: WindowSource, fallback: number = DEFAULT_CONTEXT_WINDOW): number {
  return spec.contextWindow ?? familyContextWindow(spec.model) ?? fallback;
}
