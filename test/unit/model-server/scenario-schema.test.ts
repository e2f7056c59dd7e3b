// The scenario format: defaults, and the errors an author sees for mistakes.
import { parseScenario, ScenarioValidationError } from '../../../model-server';

describe('the scenario format', () => {
  it('fills defaults for tool-call arguments, reply lists and turn ranges', () => {
    const scenario = parseScenario({
      name: 'defaults',
      models: 'one-*',
      rules: [{ turns: { to: 2 }, reply: { toolCalls: [{ name: 'bash' }] } }],
    });
    expect(scenario.rules[0]).toEqual({
      turns: { from: 0, to: 2 },
      reply: { reasoningFormat: 'field', toolCalls: [{ name: 'bash', arguments: {} }] },
    });
  });

  it('names the source and every issue of an invalid scenario', () => {
    const attempt = () => parseScenario({ name: 'bad name!', models: [], rules: [{ reply: { txt: 'typo' } }] }, 'bad.json');
    expect(attempt).toThrow(ScenarioValidationError);
    expect(attempt).toThrow(/invalid scenario bad\.json: name: .*; models: .*; rules\.0\.reply: Unrecognized key: "txt"/);
  });

  it('refuses fault statuses that are not errors', () => {
    expect(() => parseScenario({ name: 'ok', models: ['x'], rules: [{ fault: { status: 200 } }] })).toThrow(/rules\.0\.fault\.status/);
  });
});
