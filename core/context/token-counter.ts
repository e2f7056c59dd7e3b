// Token counting for one model: exact tiktoken counts with OpenAI's chat accounting for OpenAI models,
// a calibrated, conservative estimate for everything else. Counts are cached per message object.
import type { Message, ProviderKind } from '../messages';
import type { ToolSpec } from '../tool-spec';
import { REPLY_PRIMING_TOKENS } from './chat-overhead';
import { rawMessageTokens, rawToolTokens, toolsSectionTokens } from './message-tokens';
import { encodingForModel, type EncodingName } from './model-encoding';
import { countTextTokens } from './text-tokens';
import { emptyCalibrationState, estimateFactor, type TokenCalibration } from './token-calibration';

export type TokenCounter = {
  readonly modelName: string;
  readonly provider: ProviderKind;
  readonly encodingName: EncodingName;
  /** True when counts are the model's own tokenizer's; tool definitions are still an estimate (chat-overhead.ts). */
  readonly exact: boolean;
  /** What uncorrected counts are multiplied by: 1 when exact, the calibrated factor otherwise. */
  factor(): number;
  countText(text: string): number;
  countMessage(message: Message): number;
  countTools(tools: readonly ToolSpec[]): number;
  countRequest(system: string | undefined, messages: readonly Message[], tools: readonly ToolSpec[]): number;
};

export type TokenCounterOptions = {
  /** Read on every count, so estimates follow calibration as reported usage arrives. */
  calibration?: TokenCalibration;
};

// Shared by every counter of the same encoding and wire format, so short-lived counters stay incremental.
// Messages are treated as immutable: a message changed in place keeps its old count.
const messageCaches = new Map<string, WeakMap<Message, number>>();
const toolCaches = new Map<string, WeakMap<ToolSpec, number>>();

function cacheFor<K extends object>(caches: Map<string, WeakMap<K, number>>, key: string): WeakMap<K, number> {
  let cache = caches.get(key);
  if (!cache) {
    cache = new WeakMap();
    caches.set(key, cache);
  }
  return cache;
}

function cached<K extends object>(cache: WeakMap<K, number>, key: K, compute: () => number): number {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}

export function createTokenCounter(modelName: string, provider: ProviderKind, options: TokenCounterOptions = {}): TokenCounter {
  const { encodingName, exact } = encodingForModel(modelName, provider);
  const cacheKey = `${encodingName}:${provider}`;
  const messageCache = cacheFor(messageCaches, cacheKey);
  const toolCache = cacheFor(toolCaches, cacheKey);
  const rawText = (text: string): number => countTextTokens(encodingName, text);
  const defaultState = emptyCalibrationState();
  const factor = (): number => (exact ? 1 : (options.calibration?.factor(modelName) ?? estimateFactor(defaultState, modelName)));
  // Rounded up part by part, so a request's count is the sum of its parts' counts and never rounds down.
  const corrected = (tokens: number): number => (exact ? tokens : Math.ceil(tokens * factor()));
  let lastSystem: { text: string; tokens: number } | undefined;

  const countMessage = (message: Message): number =>
    corrected(cached(messageCache, message, () => rawMessageTokens(message, provider, rawText)));

  const countTools = (tools: readonly ToolSpec[]): number => {
    if (tools.length === 0) return 0;
    let total = corrected(toolsSectionTokens(provider));
    for (const tool of tools) total += corrected(cached(toolCache, tool, () => rawToolTokens(tool, provider, rawText)));
    return total;
  };

  const countSystem = (system: string | undefined): number => {
    if (!system) return 0;
    if (lastSystem?.text !== system) lastSystem = { text: system, tokens: rawMessageTokens({ type: 'system', text: system }, provider, rawText) };
    return corrected(lastSystem.tokens);
  };

  return {
    modelName,
    provider,
    encodingName,
    exact,
    factor,
    countText: (text) => corrected(rawText(text)),
    countMessage,
    countTools,
    countRequest(system, messages, tools) {
      let total = countSystem(system) + countTools(tools) + corrected(REPLY_PRIMING_TOKENS);
      for (const message of messages) total += countMessage(message);
      return total;
    },
  };
}
