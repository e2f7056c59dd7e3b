// Which model settings make a reply worth caching: only a request the provider answers the same way
// every time. That is temperature 0 set explicitly; an unset temperature is the provider's default
// (1.0 for OpenAI and Anthropic), and extended thinking samples by design, so neither is cached.
import type { ModelSpec } from '../model-spec';

export type Cacheability = { cacheable: true } | { cacheable: false; reason: string };

export function responseCacheability(spec: Pick<ModelSpec, 'temperature' | 'thinkingBudgetTokens'>): Cacheability {
  if (spec.thinkingBudgetTokens !== undefined) return { cacheable: false, reason: 'extended thinking samples its reasoning' };
  if (spec.temperature === undefined) return { cacheable: false, reason: "temperature unset: the provider's default samples" };
  if (spec.temperature !== 0) return { cacheable: false, reason: `temperature ${spec.temperature} samples` };
  return { cacheable: true };
}
