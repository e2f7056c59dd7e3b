// The model pool file: the example parses, defaults fill in, and every kind of mistake is named
// with its path so the operator can find it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PoolConfigError, parsePoolConfig, poolModels, type PoolConfig } from '../../../core/model-pool';

const EXAMPLE_FILE = path.resolve(__dirname, '..', '..', '..', 'infra', 'model-pool.example.yaml');

function model(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id, provider: 'openai', model: id,
    pricing: { inputPerMillion: 1, outputPerMillion: 2 },
    contextWindow: 128_000,
    capabilities: { tools: true, vision: false, reasoning: false },
    speed: 'fast',
    ...overrides,
  };
}

function issuesOf(document: unknown): string[] {
  try {
    parsePoolConfig(JSON.stringify(document), 'pool.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PoolConfigError);
    return (error as PoolConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('expected the pool to be rejected');
}

describe('parsing the model pool configuration', () => {
  it('parses the example file with models in all three tiers', () => {
    const pool = parsePoolConfig(readFileSync(EXAMPLE_FILE, 'utf8'), EXAMPLE_FILE);
    expect(pool.tiers.primary.length).toBeGreaterThan(0);
    expect(pool.tiers.backup.length).toBeGreaterThan(0);
    expect(pool.tiers.fallback.length).toBeGreaterThan(0);
    const minimax = poolModels(pool).find((entry) => entry.id === 'minimax-m2');
    expect(minimax).toMatchObject({ tier: 'backup', provider: 'anthropic', baseURL: 'https://api.minimax.io/anthropic', apiKeyEnv: 'MINIMAX_API_KEY' });
    expect(poolModels(pool).map((entry) => entry.apiKeyEnv)).toEqual(expect.arrayContaining(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'MINIMAX_API_KEY']));
  });

  it('fills in the routing, circuit and health defaults when the file leaves them out', () => {
    const pool: PoolConfig = parsePoolConfig('tiers:\n  primary:\n    - ' + JSON.stringify(model('only')), 'pool.yaml');
    expect(pool.complexityTiers).toEqual({ simple: 'fallback', medium: 'backup', complex: 'primary' });
    expect(pool.circuit).toEqual({ failureThreshold: 5, cooldownSeconds: 30 });
    expect(pool.health).toEqual({ intervalMinutes: 5 });
    expect(pool.tiers.backup).toEqual([]);
  });

  it('reads JSON as well as YAML', () => {
    const pool = parsePoolConfig(JSON.stringify({ tiers: { fallback: [model('cheap')] }, circuit: { failureThreshold: 7 } }), 'pool.json');
    expect(pool.tiers.fallback[0]?.id).toBe('cheap');
    expect(pool.circuit).toEqual({ failureThreshold: 7, cooldownSeconds: 30 });
  });

  it('names the path of a price that is not a number', () => {
    const issues = issuesOf({ tiers: { primary: [model('a', { pricing: { inputPerMillion: 'three', outputPerMillion: 15 } })] } });
    expect(issues).toEqual([expect.stringMatching(/^tiers\.primary\.0\.pricing\.inputPerMillion: .*expected number/)]);
  });

  it('names every mistake at once, each with its path', () => {
    const broken = model('b', { provider: 'cohere', speed: 'warp', contextWindow: -1, capabilities: { tools: true, vision: false } });
    const issues = issuesOf({ tiers: { backup: [model('a'), broken] }, circuit: { cooldownSeconds: 0 } });
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^tiers\.backup\.1\.provider: /),
      expect.stringMatching(/^tiers\.backup\.1\.speed: /),
      expect.stringMatching(/^tiers\.backup\.1\.contextWindow: /),
      expect.stringMatching(/^tiers\.backup\.1\.capabilities\.reasoning: .*expected boolean/),
      expect.stringMatching(/^circuit\.cooldownSeconds: /),
    ]));
  });

  it('rejects a misspelt field instead of ignoring it', () => {
    const issues = issuesOf({ tiers: { primary: [model('a', { pricing: { inputPerMilion: 1, inputPerMillion: 1, outputPerMillion: 2 } })] } });
    expect(issues).toEqual([expect.stringMatching(/^tiers\.primary\.0\.pricing: .*inputPerMilion/)]);
  });

  it('rejects an API key written where the environment variable name belongs', () => {
    expect(issuesOf({ tiers: { primary: [model('a', { apiKeyEnv: 'sk-live-123' })] } })).toEqual([expect.stringMatching(/^tiers\.primary\.0\.apiKeyEnv: must be an environment variable name/)]);
  });

  it('rejects duplicate model ids across tiers, pointing at both places', () => {
    const issues = issuesOf({ tiers: { primary: [model('same')], fallback: [model('other'), model('same')] } });
    expect(issues).toEqual(['tiers.fallback.1.id: duplicate model id "same" (first at tiers.primary.0.id)']);
  });

  it('rejects a family id, an output cap above the context window and an empty pool', () => {
    expect(issuesOf({ tiers: { primary: [model('ollama/*')] } })).toEqual([expect.stringMatching(/^tiers\.primary\.0\.id: must name one model/)]);
    expect(issuesOf({ tiers: { primary: [model('a', { contextWindow: 8192, maxOutputTokens: 8192 })] } })).toEqual([expect.stringMatching(/^tiers\.primary\.0\.maxOutputTokens: must be below the context window/)]);
    expect(issuesOf({ tiers: {} })).toEqual([expect.stringMatching(/^tiers: the pool has no models/)]);
  });

  it('reports text that is not YAML with the source name', () => {
    expect(() => parsePoolConfig('tiers: [unclosed', 'broken.yaml')).toThrow(/model pool broken\.yaml is invalid:\n {2}- \(file\): not valid YAML or JSON/);
  });
});
