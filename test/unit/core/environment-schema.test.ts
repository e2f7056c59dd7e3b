import { ConfigError } from '../../../core/config-error';
import { loadConfig } from '../../../core/config';
import { EnvironmentConfigError, parseKeelEnvironment } from '../../../core/environment-schema';

describe('the environment schema', () => {
  it('names every malformed variable in one error, not only the first', () => {
    const environment = { PORT: 'eighty', KEEL_MEMORY_WEIGHTS: '0.7,0.3', KEEL_UNSAFE_BASH: 'yes', KEEL_SANDBOX_READ_ONLY_PATHS: '/opt:relative', KEEL_METRICS_TOKEN: 'short' };
    let caught: unknown;
    try {
      loadConfig(environment);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvironmentConfigError);
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as EnvironmentConfigError).problems;
    expect(problems.map((entry) => entry.variable).sort()).toEqual(['KEEL_MEMORY_WEIGHTS', 'KEEL_METRICS_TOKEN', 'KEEL_SANDBOX_READ_ONLY_PATHS', 'KEEL_UNSAFE_BASH', 'PORT']);
    expect((caught as Error).message).toContain('PORT: "eighty" is not a port number');
    expect((caught as Error).message).toContain('KEEL_SANDBOX_READ_ONLY_PATHS: "relative" is not an absolute path');
  });

  it('reports rules across variables beside malformed values', () => {
    expect(() => parseKeelEnvironment({ KEEL_NOTES_STORE: 'pinecone', KEEL_EMBEDDINGS_MODEL: 'text-embedding-3-small', KEEL_MEMORY_CANDIDATES: '-1' })).toThrow(
      /KEEL_MEMORY_CANDIDATES: "-1" is not a positive whole number.*KEEL_PINECONE_HOST: .*KEEL_EMBEDDINGS_DIMENSIONS: set the vector size/,
    );
  });

  it('turns text into typed values and treats empty as unset', () => {
    const parsed = parseKeelEnvironment({ PORT: '8080', KEEL_CONTEXT_BUDGETS: '0.1, 0.4, 0.5', KEEL_METRICS_PORT: '', KEEL_SANDBOX_READ_ONLY_PATHS: '/opt/a:/opt/b' });
    expect(parsed.PORT).toBe(8080);
    expect(parsed.KEEL_CONTEXT_BUDGETS).toEqual([0.1, 0.4, 0.5]);
    expect(parsed.KEEL_METRICS_PORT).toBeUndefined();
    expect(parsed.KEEL_SANDBOX_READ_ONLY_PATHS).toEqual(['/opt/a', '/opt/b']);
  });

  it('keeps the configured values in the loaded config', () => {
    const config = loadConfig({ PORT: '8080', KEEL_SANDBOX_CPU_SECONDS: '20', KEEL_UNSAFE_BASH: '1', KEEL_MEMORY_WEIGHTS: '0.5,0.3,0.2', KEEL_TOOL_OUTPUT_TOKEN_LIMIT: '900' });
    expect(config.apiPort).toBe(8080);
    expect(config.sandbox).toEqual({ unsafeBash: true, limits: { cpuSeconds: 20 }, readOnlyPaths: [] });
    expect(config.memory.settings.weights).toEqual({ similarity: 0.5, importance: 0.3, recency: 0.2 });
    expect(config.context.toolOutputTokenLimit).toBe(900);
  });
});
