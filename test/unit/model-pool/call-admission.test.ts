// Admission before a call: the same context-window and budget rules selection uses, so a model the
// plan kept can still be refused when the transcript has grown or the budget has shrunk.
import { admitCall, estimateTokens, serialisedCharacters } from '../../../core/model-pool';

const model = { contextWindow: 8_192, pricing: { inputPerMillion: 1, outputPerMillion: 2 } };

describe('admitting a model call', () => {
  it('admits a call that fits the window and the budget, with its worst-case cost', () => {
    expect(admitCall(model, 1_000, 1_000, { maxCostPerCall: 1 })).toEqual({ admitted: true, estimatedCost: (1_000 * 1 + 1_000 * 2) / 1_000_000 });
  });

  it('refuses a request that does not fit the context window with its output allowance', () => {
    expect(admitCall(model, 7_500, 1_000)).toMatchObject({ admitted: false, cause: 'context-window', reason: 'context window 8192 too small for 8500 tokens (7500 input + 1000 output)' });
  });

  it('refuses a call over the per-call cap or over what is left of the run budget', () => {
    expect(admitCall(model, 1_000, 1_000, { maxCostPerCall: 0.001 })).toMatchObject({ admitted: false, cause: 'budget', reason: 'over budget: est $0.003 > $0.001 per call' });
    expect(admitCall(model, 1_000, 1_000, { remainingRunBudget: -0.5 })).toMatchObject({ admitted: false, cause: 'budget', reason: 'over budget: est $0.003 > $0 left in the run' });
  });

  it('estimates tokens as a quarter of the serialised characters, rounded up', () => {
    expect(estimateTokens(0)).toBe(0);
    expect(estimateTokens(9)).toBe(3);
    expect(serialisedCharacters({ type: 'user', text: 'hi' })).toBe('{"type":"user","text":"hi"}'.length);
  });
});
