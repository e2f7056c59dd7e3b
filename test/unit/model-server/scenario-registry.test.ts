// Rule selection: newest scenario wins, first matching rule wins, turn ranges, model globs,
// prompt filters and `times` counted per conversation.
import type { ModelCall } from '../../../model-server/model-call';
import { ScenarioRegistry } from '../../../model-server/scenario-registry';
import { parseScenario } from '../../../model-server/scenario-schema';

function call(model: string, turn: number, conversationKey = 'conversation', firstUserText = 'hello', lastMessageText = firstUserText, systemText = ''): ModelCall {
  return { wireFormat: 'openai', model, stream: false, includeUsage: false, turn, conversationKey, firstUserText, systemText, lastMessageText, inputTokens: 1 };
}

function ruleIndexOf(registry: ScenarioRegistry, modelCall: ModelCall): number | string {
  const selection = registry.select(modelCall);
  return selection.kind === 'rule' ? selection.ruleIndex : selection.kind;
}

describe('rules on the last message', () => {
  it('fire only when the request\'s last message (a tool result) contains the text', () => {
    const registry = new ScenarioRegistry();
    registry.add(parseScenario({
      name: 'last-message',
      models: 'lm',
      rules: [{ lastMessageIncludes: 'refused', reply: { text: 'honest' } }, { reply: { text: 'default' } }],
    }));
    expect(ruleIndexOf(registry, call('lm', 1, 'c', 'hello', 'Error: bash refused'))).toBe(0);
    expect(ruleIndexOf(registry, call('lm', 1, 'c', 'hello', 'Exit code: 0'))).toBe(1);
  });
});

describe('the scenario registry', () => {
  const registry = new ScenarioRegistry();
  registry.add(parseScenario({
    name: 'rules',
    models: ['demo-*', 'other'],
    rules: [
      { model: 'demo-primary*', fault: { status: 500 } },
      { turn: 0, times: 2, fault: { status: 429 } },
      { turns: { from: 1, to: 3 }, reply: { text: 'middle' } },
      { promptIncludes: 'special', reply: { text: 'special' } },
      { turns: { from: 4 }, times: 1, reply: { text: 'late' } },
    ],
  }));

  it('picks the first rule whose turn, model and prompt match', () => {
    expect(ruleIndexOf(registry, call('demo-primary-1', 2))).toBe(0);
    expect(ruleIndexOf(registry, call('demo-backup', 2))).toBe(2);
    expect(ruleIndexOf(registry, call('other', 3))).toBe(2);
    expect(ruleIndexOf(registry, call('other', 7, 'special-conversation', 'a special prompt'))).toBe(3);
  });

  it('matches a rule on the system prompt, so agents can be told apart by their instructions', () => {
    const bySystem = new ScenarioRegistry();
    bySystem.add(parseScenario({ name: 'system', models: '*', rules: [{ systemIncludes: 'agent-x', reply: { text: 'x' } }, { reply: { text: 'other' } }] }));
    expect(ruleIndexOf(bySystem, call('any', 0, 'c', 'agent-x in the prompt is not enough'))).toBe(1);
    expect(ruleIndexOf(bySystem, call('any', 0, 'c', 'hello', 'hello', 'You are agent-x.'))).toBe(0);
  });

  it('skips a rule once it fired `times` times in a conversation, and only in that one', () => {
    expect(ruleIndexOf(registry, call('demo-a', 0, 'one'))).toBe(1);
    expect(ruleIndexOf(registry, call('demo-a', 0, 'one'))).toBe(1);
    expect(ruleIndexOf(registry, call('demo-a', 0, 'one'))).toBe('no-rule');
    expect(ruleIndexOf(registry, call('demo-a', 0, 'two'))).toBe(1);
    expect(ruleIndexOf(registry, call('demo-a', 5, 'one'))).toBe(4);
    expect(ruleIndexOf(registry, call('demo-a', 6, 'one'))).toBe('no-rule');
  });

  it('reports the scripted models when none matches', () => {
    expect(registry.select(call('unknown', 0))).toEqual({ kind: 'no-scenario', scriptedModels: ['demo-*', 'other'] });
  });

  it('lets the newest scenario win and forgets counts when a scenario is replaced', () => {
    const local = new ScenarioRegistry();
    local.add(parseScenario({ name: 'broad', models: ['*'], rules: [{ times: 1, reply: { text: 'broad' } }] }));
    local.add(parseScenario({ name: 'narrow', models: ['narrow-*'], rules: [{ reply: { text: 'narrow' } }] }));
    expect(local.select(call('narrow-1', 0))).toMatchObject({ scenario: { name: 'narrow' } });
    expect(local.select(call('wide', 0))).toMatchObject({ scenario: { name: 'broad' } });
    expect(local.select(call('wide', 0)).kind).toBe('no-rule');
    local.add(parseScenario({ name: 'broad', models: ['*'], rules: [{ times: 1, reply: { text: 'broad again' } }] }));
    expect(local.select(call('narrow-1', 0, 'third'))).toMatchObject({ scenario: { name: 'broad' } });
    expect(local.select(call('wide', 0)).kind).toBe('rule');
  });

  it('fires a `probability` rule on about that share of matching calls, the same draws for the same seed', () => {
    const storm = (seed: number) => {
      const local = new ScenarioRegistry();
      local.add(parseScenario({ name: 'storm', models: '*', seed, rules: [{ probability: 0.3, fault: { status: 500 } }, { reply: { text: 'fine' } }] }));
      return Array.from({ length: 2000 }, (_, index) => ruleIndexOf(local, call('any', index % 5)));
    };
    const draws = storm(7);
    const faults = draws.filter((index) => index === 0).length;
    expect(faults).toBeGreaterThan(2000 * 0.25);
    expect(faults).toBeLessThan(2000 * 0.35);
    expect(storm(7)).toEqual(draws);
    expect(storm(8)).not.toEqual(draws);
  });
});
