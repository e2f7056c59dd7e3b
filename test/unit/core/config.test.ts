// Configuration: provider keys enable their families, a models file is validated with clear errors.
import { ConfigError, DEMO_MODEL_ID, loadConfig } from '../../../core/config';

describe('loading the configuration', () => {
  it('uses the local demo model when no provider key is configured', () => {
    const config = loadConfig({});
    expect(config.defaultModel).toBe(DEMO_MODEL_ID);
    expect(config.usingDemoModel).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('enables a provider family and its default model when its key is present', () => {
    const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-test' });
    expect(config.usingDemoModel).toBe(false);
    expect(config.defaultModel).toBe('anthropic/claude-sonnet-4-5');
    expect(config.models.map((spec) => spec.id)).toContain('anthropic/*');
    expect(JSON.stringify(config)).not.toContain('sk-ant-test');
  });

  it('reads models from KEEL_MODELS_FILE', () => {
    const file = JSON.stringify({ models: [{ id: 'minimax', provider: 'anthropic', model: 'MiniMax-M2', baseURL: 'https://api.minimax.io/anthropic', apiKeyEnv: 'MINIMAX_API_KEY' }] });
    const config = loadConfig({ KEEL_MODELS_FILE: '/models.json', KEEL_DEFAULT_MODEL: 'minimax' }, {}, () => file);
    expect(config.models[0]).toMatchObject({ id: 'minimax', provider: 'anthropic' });
    expect(config.defaultModel).toBe('minimax');
  });

  it('names the file, the field and the environment variable when the models file is invalid', () => {
    const file = JSON.stringify({ models: [{ id: 'x', provider: 'cohere', model: 'c', apiKeyEnv: 'sk-123' }] });
    expect(() => loadConfig({ KEEL_MODELS_FILE: '/models.json' }, {}, () => file)).toThrow(ConfigError);
    expect(() => loadConfig({ KEEL_MODELS_FILE: '/models.json' }, {}, () => file)).toThrow(/KEEL_MODELS_FILE.*models\.0\.provider/);
  });

  it('rejects a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('env PORT');
  });
});
