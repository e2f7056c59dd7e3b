// How a run body lays over a saved agent's settings: the run's fields win, the model choice is
// replaced as a whole, limits and policy merge key by key.
import { applyAgentSettings, parseAgentReference } from '../../../api/agent-overrides';

describe('agent overrides', () => {
  const settings = {
    instructions: 'agent instructions', models: ['local/a', 'local/b'], tools: ['read_file'],
    limits: { maxSteps: 5, stepTimeoutSeconds: 120 }, policy: { outcomePrediction: false, review: { timeoutSeconds: 60 } },
  };

  it('keeps the agent settings the run does not give, and drops the agent reference', () => {
    expect(applyAgentSettings(settings, { agent: 'writer', message: 'go' })).toEqual({ ...settings, message: 'go' });
  });

  it("lets the run's fields win, merging limits and policy key by key", () => {
    const merged = applyAgentSettings(settings, { agent: 'writer', message: 'go', instructions: 'mine', limits: { maxSteps: 9 }, policy: { review: { timeoutSeconds: 5 } } });
    expect(merged).toEqual({
      message: 'go', instructions: 'mine', models: ['local/a', 'local/b'], tools: ['read_file'],
      limits: { maxSteps: 9, stepTimeoutSeconds: 120 }, policy: { outcomePrediction: false, review: { timeoutSeconds: 5 } },
    });
  });

  it('replaces the whole model choice when the run names a model or a complexity', () => {
    expect(applyAgentSettings(settings, { agent: 'writer', message: 'go', model: 'local/c' })).toMatchObject({ model: 'local/c' });
    expect(applyAgentSettings(settings, { agent: 'writer', message: 'go', model: 'local/c' }).models).toBeUndefined();
    const pooled = applyAgentSettings({ ...settings, models: undefined, model: 'local/a' }, { agent: 'writer', message: 'go', complexity: 'simple' });
    expect(pooled).toMatchObject({ complexity: 'simple' });
    expect(pooled.model).toBeUndefined();
  });

  it('reads name and name@version references', () => {
    expect(parseAgentReference('writer')).toEqual({ name: 'writer' });
    expect(parseAgentReference('writer-2@12')).toEqual({ name: 'writer-2', version: 12 });
    expect(() => parseAgentReference('Writer@0')).toThrow();
  });
});
