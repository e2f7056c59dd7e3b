// The model catalog resolves exact ids and provider families, and names the known ids when asked for another.
import { ModelCatalog, UnknownModelError } from '../../../core/model-catalog';

describe('the model catalog', () => {
  const catalog = new ModelCatalog([
    { id: 'fast', provider: 'openai', model: 'gpt-4o-mini' },
    { id: 'ollama/*', provider: 'openai', model: '*', baseURL: 'http://127.0.0.1:11434/v1' },
  ]);

  it('resolves an exact id', () => {
    expect(catalog.resolve('fast')).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('resolves a family member and sends the suffix as the model name', () => {
    expect(catalog.resolve('ollama/llama3.1')).toEqual({ id: 'ollama/llama3.1', provider: 'openai', model: 'llama3.1', baseURL: 'http://127.0.0.1:11434/v1' });
  });

  it('refuses the bare family prefix and unknown ids, naming what is configured', () => {
    expect(catalog.has('ollama/')).toBe(false);
    expect(() => catalog.resolve('gpt-5')).toThrow(UnknownModelError);
    expect(() => catalog.resolve('gpt-5')).toThrow('configured models: fast, ollama/*');
  });
});
