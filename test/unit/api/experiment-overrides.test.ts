// An arm's overrides over an agent's settings (model choice replaced as one, limits and policy merged
// key by key), and which run bodies an experiment leaves out because they set what the arms vary.
import { applyArmOverrides, bodyOverridesArms } from '../../../api/experiment-overrides';
import { experimentArms } from '../../../api/experiment-schemas';

describe('experiment arm overrides', () => {
  const settings = {
    instructions: 'Be thorough.', models: ['local/a', 'local/b'], tools: ['read_file'],
    limits: { maxSteps: 9, stepTimeoutSeconds: 60 }, policy: { outcomePrediction: false, critical: true },
  };

  it("replaces the agent's whole model choice when the arm names a model, and keeps the rest", () => {
    expect(applyArmOverrides(settings, { model: 'local/c' })).toEqual({
      instructions: 'Be thorough.', model: 'local/c', tools: ['read_file'], limits: settings.limits, policy: settings.policy,
    });
    expect(applyArmOverrides(settings, { complexity: 'simple' })).not.toHaveProperty('models');
  });

  it('merges limits and policy key by key, and replaces other fields', () => {
    const applied = applyArmOverrides(settings, { limits: { maxSteps: 2 }, policy: { critical: false }, tools: [] });
    expect(applied.limits).toEqual({ maxSteps: 2, stepTimeoutSeconds: 60 });
    expect(applied.policy).toEqual({ outcomePrediction: false, critical: false });
    expect(applied.tools).toEqual([]);
    expect(applied.models).toEqual(['local/a', 'local/b']);
  });

  it('leaves the agent as saved for an empty (control) arm', () => {
    expect(applyArmOverrides(settings, {})).toEqual(settings);
  });

  it('leaves out a run that sets what any arm varies, model choice counting as one field', () => {
    const arms = experimentArms.parse([{ name: 'control', weight: 1 }, { name: 'small', weight: 1, overrides: { complexity: 'simple' } }]);
    expect(bodyOverridesArms({ agent: 'x', message: 'hi' }, arms)).toBe(false);
    expect(bodyOverridesArms({ agent: 'x', message: 'hi', model: 'local/z' }, arms)).toBe(true);
    expect(bodyOverridesArms({ agent: 'x', message: 'hi', instructions: 'mine' }, arms)).toBe(false);
    const prompts = experimentArms.parse([{ name: 'a', weight: 1 }, { name: 'b', weight: 1, overrides: { instructions: 'Be terse.' } }]);
    expect(bodyOverridesArms({ agent: 'x', message: 'hi', instructions: 'mine' }, prompts)).toBe(true);
    expect(bodyOverridesArms({ agent: 'x', message: 'hi', model: 'local/z' }, prompts)).toBe(false);
  });

  it('refuses arms with a repeated name, naming the second', () => {
    const parsed = experimentArms.safeParse([{ name: 'a', weight: 1 }, { name: 'a', weight: 1 }]);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([[1, 'name']]);
  });
});
