// Cost math: a finished call billed from its usage, and the upper bound that budget checks use.
import { costOf, estimateCallCost, formatUsd } from '../../../core/model-pool';

const sonnet = { inputPerMillion: 3, outputPerMillion: 15 };

describe('the cost of a model call', () => {
  it('bills input and output tokens at their price per million', () => {
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 100_000 }, sonnet)).toBeCloseTo(4.5, 10);
    expect(costOf({ inputTokens: 2_000, outputTokens: 500 }, sonnet)).toBeCloseTo(0.0135, 10);
  });

  it('bills cached input tokens at the input price when no cached price is given', () => {
    expect(costOf({ inputTokens: 10_000, outputTokens: 0, cachedInputTokens: 8_000 }, sonnet)).toBeCloseTo(0.03, 10);
  });

  it('bills cached input tokens at the cached price when one is given', () => {
    const pricing = { ...sonnet, cachedInputPerMillion: 0.3 };
    // 2,000 uncached at $3 + 8,000 cached at $0.30.
    expect(costOf({ inputTokens: 10_000, outputTokens: 0, cachedInputTokens: 8_000 }, pricing)).toBeCloseTo(0.006 + 0.0024, 10);
  });

  it('never counts more cached tokens than input tokens', () => {
    const pricing = { ...sonnet, cachedInputPerMillion: 0 };
    expect(costOf({ inputTokens: 1_000, outputTokens: 0, cachedInputTokens: 5_000 }, pricing)).toBe(0);
  });

  it('costs nothing for zero usage or a free local model', () => {
    expect(costOf({ inputTokens: 0, outputTokens: 0 }, sonnet)).toBe(0);
    expect(costOf({ inputTokens: 5_000, outputTokens: 5_000 }, { inputPerMillion: 0, outputPerMillion: 0 })).toBe(0);
  });

  it('estimates the worst case: all input at full price and the whole output allowance', () => {
    const pricing = { ...sonnet, cachedInputPerMillion: 0.3 };
    expect(estimateCallCost(pricing, 10_000, 4_096)).toBeCloseTo(0.03 + 0.06144, 10);
    expect(estimateCallCost(pricing, 10_000, 4_096)).toBeGreaterThanOrEqual(costOf({ inputTokens: 10_000, outputTokens: 4_096, cachedInputTokens: 9_000 }, pricing));
  });

  it('formats amounts for humans', () => {
    expect(formatUsd(0.0123)).toBe('$0.012');
    expect(formatUsd(0.01)).toBe('$0.01');
    expect(formatUsd(0.00041)).toBe('$0.00041');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(0)).toBe('$0');
  });
});
