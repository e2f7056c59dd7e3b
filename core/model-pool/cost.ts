// What a model call costs in USD: the exact cost of a finished call from its usage, and the upper
// bound of a call not made yet, which budget checks compare against before calling.
import type { Usage } from '../messages';
import type { Pricing } from './pool-config';

const TOKENS_PER_PRICE_UNIT = 1_000_000;

/**
 * Cost of a finished call. Keel's `inputTokens` already include cached ones, so the cached share
 * is taken out of the full-price input and billed at `cachedInputPerMillion` (the input price when
 * the provider gives no discount). Reasoning tokens are part of `outputTokens` on both wire formats.
 */
export function costOf(usage: Usage, pricing: Pricing): number {
  const cached = Math.min(Math.max(usage.cachedInputTokens ?? 0, 0), usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  const cachedPrice = pricing.cachedInputPerMillion ?? pricing.inputPerMillion;
  return (uncached * pricing.inputPerMillion + cached * cachedPrice + usage.outputTokens * pricing.outputPerMillion) / TOKENS_PER_PRICE_UNIT;
}

/**
 * Upper bound on a call's cost: every input token at full price (no cache hit assumed) and the
 * whole output allowance spent. Budgets are checked against this, so a call never overruns them.
 */
export function estimateCallCost(pricing: Pricing, inputTokens: number, maxOutputTokens: number): number {
  return (inputTokens * pricing.inputPerMillion + maxOutputTokens * pricing.outputPerMillion) / TOKENS_PER_PRICE_UNIT;
}

/** `$0.012`, `$0.0004`, `$1.25`: two significant digits below a dollar, cents above. */
export function formatUsd(amount: number): string {
  if (amount === 0) return '$0';
  if (Math.abs(amount) >= 1) return `$${amount.toFixed(2)}`;
  return `$${Number(amount.toPrecision(2))}`;
}
