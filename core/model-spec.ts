// How a model is reached: provider wire format, base URL, the env var holding its key.
// Configuration alone selects OpenAI, Anthropic, MiniMax, DeepSeek, vLLM or Ollama.
import type { ProviderKind } from './messages';

export type ModelSpec = {
  /** Keel's name for the model (what runs and events refer to). */
  id: string;
  provider: ProviderKind;
  /** Model name sent to the provider. */
  model: string;
  /** Base URL of the API (e.g. https://api.minimax.io/v1 or http://127.0.0.1:11434/v1). */
  baseURL?: string;
  /** Name of the environment variable holding the API key; never the key itself. */
  apiKeyEnv?: string;
  maxOutputTokens?: number;
  temperature?: number;
  /** Anthropic extended thinking budget; enables thinking when set. */
  thinkingBudgetTokens?: number;
  /** Request timeout for one call, in milliseconds. */
  timeoutMs?: number;
  /**
   * Tokens the model reads and writes in one call. Absent: the pool's window for pool models, else a
   * documented default for the model's family (core/context/context-windows.ts).
   */
  contextWindow?: number;
};

export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
