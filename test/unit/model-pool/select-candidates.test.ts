// The selection policy: complexity picks the tier, the cheapest usable model goes first, and every
// model left out says why; the candidate list is the order the workflow falls back in.
import { poolConfigSchema, selectCandidates, type PoolConfig, type SelectionInput } from '../../../core/model-pool';

function model(id: string, inputPerMillion: number, outputPerMillion: number, extra: Record<string, unknown> = {}) {
  return {
    id, provider: 'openai', model: id,
    pricing: { inputPerMillion, outputPerMillion },
    contextWindow: 200_000,
    capabilities: { tools: true, vision: true, reasoning: true },
    speed: 'medium',
    ...extra,
  };
}

const pool: PoolConfig = poolConfigSchema.parse({
  tiers: {
    primary: [model('big-a', 5, 25, { speed: 'slow' }), model('big-b', 3, 15)],
    backup: [model('mid-a', 1, 5, { capabilities: { tools: true, vision: false, reasoning: false } }), model('mid-b', 0.3, 1.2, { contextWindow: 32_000 })],
    fallback: [model('small-a', 0.15, 0.6, { contextWindow: 8192 }), model('small-b', 0.1, 0.4, { capabilities: { tools: false, vision: false, reasoning: false } })],
  },
});

function select(overrides: Partial<SelectionInput> = {}) {
  return selectCandidates({ pool, complexity: 'medium', requestTokens: 1_000, maxOutputTokens: 1_000, circuits: {}, ...overrides });
}

const ids = (selection: ReturnType<typeof select>) => selection.candidates.map((candidate) => candidate.modelId);
const skippedReason = (selection: ReturnType<typeof select>, modelId: string) => selection.skipped.find((entry) => entry.modelId === modelId)?.reason;

describe('selecting candidate models from the pool', () => {
  it.each([
    ['complex', 'primary'],
    ['medium', 'backup'],
    ['simple', 'fallback'],
  ] as const)('sends a %s request to the %s tier first', (complexity, tier) => {
    const selection = select({ complexity });
    expect(selection.candidates[0]?.tier).toBe(tier);
    expect(selection.decision).toMatch(new RegExp(`^${complexity} → ${tier}: `));
  });

  it('follows the complexity routing of the pool file', () => {
    const rerouted = { ...pool, complexityTiers: { ...pool.complexityTiers, simple: 'primary' as const } };
    expect(selectCandidates({ pool: rerouted, complexity: 'simple', requestTokens: 100, maxOutputTokens: 100, circuits: {} }).candidates[0]?.tier).toBe('primary');
  });

  it('puts the cheapest model of a tier first', () => {
    expect(ids(select({ complexity: 'complex' })).slice(0, 2)).toEqual(['big-b', 'big-a']);
    expect(ids(select({ complexity: 'medium' })).slice(0, 2)).toEqual(['mid-b', 'mid-a']);
  });

  it('puts the faster model first when two cost the same', () => {
    const twins = poolConfigSchema.parse({ tiers: { primary: [model('slow-one', 1, 1, { speed: 'slow' }), model('fast-one', 1, 1, { speed: 'fast' })] } });
    expect(selectCandidates({ pool: twins, complexity: 'complex', requestTokens: 10, maxOutputTokens: 10, circuits: {} }).candidates.map((candidate) => candidate.modelId)).toEqual(['fast-one', 'slow-one']);
  });

  it('walks the tiers down first, then up, as the fallback order', () => {
    expect(ids(select({ complexity: 'medium' }))).toEqual(['mid-b', 'mid-a', 'small-b', 'small-a', 'big-b', 'big-a']);
    expect(select({ complexity: 'simple' }).candidates.map((candidate) => candidate.tier)).toEqual(['fallback', 'fallback', 'backup', 'backup', 'primary', 'primary']);
    expect(select({ complexity: 'complex' }).candidates.map((candidate) => candidate.tier)).toEqual(['primary', 'primary', 'backup', 'backup', 'fallback', 'fallback']);
  });

  it('skips a model whose circuit is open and falls back to the next tier down', () => {
    const selection = select({ complexity: 'medium', circuits: { 'mid-a': 'open', 'mid-b': 'open' } });
    expect(ids(selection)).toEqual(['small-b', 'small-a', 'big-b', 'big-a']);
    expect(skippedReason(selection, 'mid-a')).toBe('circuit open');
    expect(selection.candidates[0]?.reason).toMatch(/fallback tier \(down from backup\)/);
    expect(selection.candidates[2]?.reason).toMatch(/primary tier \(up from backup\)/);
    expect(selection.decision).toMatch(/^medium → backup had no usable model, using fallback: small-b/);
  });

  it('keeps a half-open model as a candidate for its one trial call', () => {
    const selection = select({ complexity: 'complex', circuits: { 'big-b': 'half-open' } });
    expect(selection.candidates[0]).toMatchObject({ modelId: 'big-b', reason: expect.stringMatching(/half-open trial/) });
  });

  it('skips a model over the per-call budget and says by how much', () => {
    // 10,000 input and 1,000 output tokens: big-b costs at most $0.045, big-a $0.075.
    const selection = select({ complexity: 'complex', requestTokens: 10_000, budget: { maxCostPerCall: 0.05 } });
    expect(ids(selection)[0]).toBe('big-b');
    expect(skippedReason(selection, 'big-a')).toBe('over budget: est $0.075 > $0.05 per call');
    expect(selection.candidates[0]?.estimatedCost).toBeCloseTo(0.045, 10);
  });

  it('skips a model that would overrun what is left of the run budget', () => {
    const selection = select({ complexity: 'complex', requestTokens: 10_000, budget: { remainingRunBudget: 0.04 } });
    expect(skippedReason(selection, 'big-b')).toBe('over budget: est $0.045 > $0.04 left in the run');
    expect(ids(selection)).toEqual(['mid-b', 'mid-a', 'small-b']);
  });

  it('never sends a request that does not fit the context window after the output allowance', () => {
    const selection = select({ complexity: 'simple', requestTokens: 7_000, maxOutputTokens: 2_000 });
    expect(skippedReason(selection, 'small-a')).toBe('context window 8192 too small for 9000 tokens (7000 input + 2000 output)');
    const tooBigForMid = select({ complexity: 'medium', requestTokens: 31_500, maxOutputTokens: 1_000 });
    expect(skippedReason(tooBigForMid, 'mid-b')).toMatch(/^context window 32000 too small/);
  });

  it('lets a model\'s own output cap make room in its context window', () => {
    const capped = poolConfigSchema.parse({ tiers: { fallback: [model('capped', 0.1, 0.1, { contextWindow: 8192, maxOutputTokens: 1024 })] } });
    const selection = selectCandidates({ pool: capped, complexity: 'simple', requestTokens: 7_000, maxOutputTokens: 2_000, circuits: {} });
    expect(selection.candidates).toEqual([expect.objectContaining({ modelId: 'capped', estimatedCost: (7_000 * 0.1 + 1_024 * 0.1) / 1_000_000 })]);
  });

  it('skips models that lack a capability the request needs', () => {
    const selection = select({ complexity: 'simple', needs: { tools: true, vision: true } });
    expect(skippedReason(selection, 'small-b')).toBe('lacks tools, vision');
    expect(skippedReason(selection, 'mid-a')).toBe('lacks vision');
    expect(ids(selection)).toEqual(['small-a', 'mid-b', 'big-b', 'big-a']);
  });

  it('returns no candidates and every reason when nothing fits', () => {
    const selection = select({
      complexity: 'complex',
      requestTokens: 50_000,
      budget: { maxCostPerCall: 0.01 },
      circuits: { 'big-b': 'open' },
      needs: { tools: true },
    });
    expect(selection.candidates).toEqual([]);
    expect(selection.skipped).toEqual([
      { modelId: 'big-a', tier: 'primary', reason: 'over budget: est $0.28 > $0.01 per call' },
      { modelId: 'big-b', tier: 'primary', reason: 'circuit open' },
      { modelId: 'mid-a', tier: 'backup', reason: 'over budget: est $0.055 > $0.01 per call' },
      { modelId: 'mid-b', tier: 'backup', reason: 'context window 32000 too small for 51000 tokens (50000 input + 1000 output)' },
      { modelId: 'small-a', tier: 'fallback', reason: 'context window 8192 too small for 51000 tokens (50000 input + 1000 output)' },
      { modelId: 'small-b', tier: 'fallback', reason: 'lacks tools' },
    ]);
    expect(selection.decision).toMatch(/^no model fits this complex request; skipped big-a \(over budget/);
  });
});
