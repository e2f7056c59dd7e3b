// A cheap estimate of a request's size in tokens, for selection and admission before a call:
// characters / 4 over the serialised messages and tool definitions. It over-counts JSON structure
// and under-counts non-Latin text; the provider's reported usage is what cost is billed on.

export const CHARACTERS_PER_TOKEN = 4;

export function estimateTokens(characters: number): number {
  return Math.ceil(Math.max(characters, 0) / CHARACTERS_PER_TOKEN);
}

/** Characters a value takes as JSON: what a message or tool definition adds to a request. */
export function serialisedCharacters(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}
