// Configuration: provider keys enable their families, models and pool files are validated with clear errors.
import { ConfigError, DEMO_MODEL_ID, loadConfig } from '../../../core/config';
import { cacheTuning, WORKER_TUNING } from '../../../worker/create-worker';

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

  it('reads the model pool from KEEL_MODEL_POOL_FILE and adds its models to the catalog', () => {
    const pool = `
tiers:
  primary:
    - { id: big, provider: anthropic, model: claude-big, apiKeyEnv: ANTHROPIC_API_KEY, pricing: { inputPerMillion: 3, outputPerMillion: 15 }, contextWindow: 200000, capabilities: { tools: true, vision: true, reasoning: true }, speed: medium }
  fallback:
    - { id: small, provider: openai, model: small-1, pricing: { inputPerMillion: 0.1, outputPerMillion: 0.4 }, contextWindow: 128000, capabilities: { tools: true, vision: false, reasoning: false }, speed: fast }
circuit: { cooldownSeconds: 10 }
`;
    const config = loadConfig({ KEEL_MODEL_POOL_FILE: '/pool.yaml' }, {}, () => pool);
    expect(config.pool?.circuit).toEqual({ failureThreshold: 5, cooldownSeconds: 10 });
    expect(config.pool?.health.intervalMinutes).toBe(5);
    expect(config.models.slice(0, 2)).toEqual([
      { id: 'big', provider: 'anthropic', model: 'claude-big', apiKeyEnv: 'ANTHROPIC_API_KEY', contextWindow: 200000 },
      { id: 'small', provider: 'openai', model: 'small-1', contextWindow: 128000 },
    ]);
    expect(config.usingDemoModel).toBe(false);
  });

  it('names the pool file, the field and the environment variable when the pool is invalid', () => {
    const pool = JSON.stringify({ tiers: { primary: [{ id: 'big', provider: 'openai', model: 'b', pricing: { inputPerMillion: 'three', outputPerMillion: 1 }, contextWindow: 1000, capabilities: { tools: true, vision: false, reasoning: false }, speed: 'fast' }] } });
    expect(() => loadConfig({ KEEL_MODEL_POOL_FILE: '/etc/keel/pool.json' }, {}, () => pool)).toThrow(ConfigError);
    expect(() => loadConfig({ KEEL_MODEL_POOL_FILE: '/etc/keel/pool.json' }, {}, () => pool)).toThrow(/KEEL_MODEL_POOL_FILE.*\/etc\/keel\/pool\.json is invalid:\n.*tiers\.primary\.0\.pricing\.inputPerMillion/s);
    expect(() => loadConfig({ KEEL_MODEL_POOL_FILE: '/missing.yaml' }, {}, () => { throw new Error('ENOENT'); })).toThrow('cannot read /missing.yaml: ENOENT');
  });

  it('rejects a pool model that the models file defines too', () => {
    const pool = JSON.stringify({ tiers: { backup: [{ id: 'dup', provider: 'openai', model: 'd', pricing: { inputPerMillion: 1, outputPerMillion: 1 }, contextWindow: 1000, capabilities: { tools: true, vision: false, reasoning: false }, speed: 'fast' }] } });
    const models = JSON.stringify({ models: [{ id: 'dup', provider: 'openai', model: 'd' }] });
    expect(() => loadConfig({ KEEL_MODEL_POOL_FILE: '/pool.json', KEEL_MODELS_FILE: '/models.json' }, {}, (file) => (file === '/pool.json' ? pool : models))).toThrow(/model id "dup" is also defined in KEEL_MODELS_FILE/);
  });

  it('rejects a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('env PORT');
  });

  it('sizes the worker\'s workflow cache from KEEL_MAX_CACHED_WORKFLOWS, and no more workflow tasks at once than it holds', () => {
    expect(loadConfig({}).maxCachedWorkflows).toBeUndefined();
    expect(cacheTuning(loadConfig({ KEEL_MAX_CACHED_WORKFLOWS: '100' }).maxCachedWorkflows)).toEqual({ maxCachedWorkflows: 100, maxConcurrentWorkflowTaskExecutions: 100 });
    expect(cacheTuning(5000)).toEqual({ maxCachedWorkflows: 5000, maxConcurrentWorkflowTaskExecutions: WORKER_TUNING.maxConcurrentWorkflowTaskExecutions });
    expect(cacheTuning(undefined)).toEqual({});
    expect(() => loadConfig({ KEEL_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(/KEEL_MAX_CACHED_WORKFLOWS/);
  });

  it('reads context settings from the environment, with defaults, and names the variable of a bad one', () => {
    expect(loadConfig({}).context).toEqual({ defaultContextWindow: 32_768, budgets: { system: 0.1, recent: 0.4, older: 0.5 }, toolOutputTokenLimit: 500, summaryMaxTokens: 1000 });
    const custom = loadConfig({ KEEL_DEFAULT_CONTEXT_WINDOW: '8192', KEEL_CONTEXT_BUDGETS: '0.2, 0.3, 0.5', KEEL_TOOL_OUTPUT_TOKEN_LIMIT: '800', KEEL_SUMMARY_MAX_TOKENS: '400' });
    expect(custom.context).toEqual({ defaultContextWindow: 8192, budgets: { system: 0.2, recent: 0.3, older: 0.5 }, toolOutputTokenLimit: 800, summaryMaxTokens: 400 });
    expect(() => loadConfig({ KEEL_CONTEXT_BUDGETS: '0.5,0.5' })).toThrow(/KEEL_CONTEXT_BUDGETS/);
    expect(() => loadConfig({ KEEL_TOOL_OUTPUT_TOKEN_LIMIT: '-3' })).toThrow(/KEEL_TOOL_OUTPUT_TOKEN_LIMIT.*not a positive whole number/);
  });
});

describe('sandbox configuration', () => {
  it('keeps bash sandboxed with default limits unless told otherwise', () => {
    expect(loadConfig({}).sandbox).toEqual({ unsafeBash: false, limits: {}, readOnlyPaths: [] });
  });

  it('reads KEEL_UNSAFE_BASH, the limits and extra read-only folders, naming the variable at fault', () => {
    const config = loadConfig({ KEEL_UNSAFE_BASH: '1', KEEL_SANDBOX_CPU_SECONDS: '60', KEEL_SANDBOX_MEMORY_BYTES: '1073741824', KEEL_SANDBOX_READ_ONLY_PATHS: '/opt/a:/opt/b' });
    expect(config.sandbox).toEqual({ unsafeBash: true, limits: { cpuSeconds: 60, memoryBytes: 1073741824 }, readOnlyPaths: ['/opt/a', '/opt/b'] });
    expect(() => loadConfig({ KEEL_SANDBOX_PROCESSES: 'many' })).toThrow(/KEEL_SANDBOX_PROCESSES.*"many" is not a positive whole number/);
    expect(() => loadConfig({ KEEL_UNSAFE_BASH: 'yes' })).toThrow(/KEEL_UNSAFE_BASH/);
    expect(() => loadConfig({ KEEL_SANDBOX_READ_ONLY_PATHS: 'opt' })).toThrow(/KEEL_SANDBOX_READ_ONLY_PATHS.*not an absolute path/);
  });
});
