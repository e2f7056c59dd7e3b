// Which window a model's context is fitted into: its own, else its family's, else the default.
import { contextWindowOf, DEFAULT_CONTEXT_WINDOW, familyContextWindow } from '../../../core/context';

describe('context windows', () => {
  it('uses the window a spec names before anything else', () => {
    expect(contextWindowOf({ model: 'gpt-4o', contextWindow: 8_000 })).toBe(8_000);
  });

  it('knows the documented windows of the common families, whatever the prefix', () => {
    expect(familyContextWindow('gpt-4o-mini')).toBe(128_000);
    expect(familyContextWindow('openai/gpt-4.1-mini')).toBe(1_047_576);
    expect(familyContextWindow('claude-sonnet-4-5')).toBe(200_000);
    expect(familyContextWindow('MiniMax-M2')).toBe(204_800);
    expect(familyContextWindow('deepseek-chat')).toBe(128_000);
    expect(familyContextWindow('gpt-4-0613')).toBe(8_192);
  });

  it('gives an unknown model the conservative default, or the configured one', () => {
    expect(contextWindowOf({ model: 'llama3.1' })).toBe(DEFAULT_CONTEXT_WINDOW);
    expect(contextWindowOf({ model: 'llama3.1' }, 131_072)).toBe(131_072);
  });
});
