// The model pool file: tiers of models with their price, context window, capabilities and speed,
// the complexity-to-tier routing, and the circuit-breaker and health-check settings.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { modelSpecSchema } from '../model-spec-schema';
import { DEFAULT_COMPLEXITY_TIERS, POOL_TIERS, type PoolTier } from './tiers';

/**
 * Consecutive failures that open a circuit. Not 3: a model failing 30% of calls at random (rate
 * limits, cut streams) has 3 failures in a row every ~40 calls and would flap open under any load;
 * 5 in a row comes every ~500 calls, while a dead model still trips after 5.
 */
export const DEFAULT_FAILURE_THRESHOLD = 5;
export const DEFAULT_COOLDOWN_SECONDS = 30;
export const DEFAULT_HEALTH_INTERVAL_MINUTES = 5;

export const SPEEDS = ['fast', 'medium', 'slow'] as const;
export type Speed = (typeof SPEEDS)[number];

const price = z.number().nonnegative();

/** USD per million tokens; cached input is billed at the input price unless its own price is given. */
export const pricingSchema = z.strictObject({
  inputPerMillion: price,
  outputPerMillion: price,
  cachedInputPerMillion: price.optional(),
});
export type Pricing = z.infer<typeof pricingSchema>;

export const capabilitiesSchema = z.strictObject({
  tools: z.boolean(),
  vision: z.boolean(),
  reasoning: z.boolean(),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

export const poolModelSchema = z
  .strictObject({
    ...modelSpecSchema.shape,
    // A family (`ollama/*`) has no single price or context window, so a pool names concrete models.
    id: z.string().min(1).refine((id) => !id.endsWith('/*'), 'must name one model, not a family ending in /*'),
    pricing: pricingSchema,
    contextWindow: z.number().int().positive(),
    capabilities: capabilitiesSchema,
    speed: z.enum(SPEEDS),
  })
  .superRefine((model, context) => {
    if (model.maxOutputTokens !== undefined && model.maxOutputTokens >= model.contextWindow) {
      context.addIssue({ code: 'custom', path: ['maxOutputTokens'], message: `must be below the context window (${model.contextWindow})` });
    }
  });
export type PoolModel = z.infer<typeof poolModelSchema>;

const tierList = z.array(poolModelSchema).default([]);
const tierName = z.enum(POOL_TIERS);

export const poolConfigSchema = z
  .strictObject({
    tiers: z.strictObject({ primary: tierList, backup: tierList, fallback: tierList }),
    complexityTiers: z
      .strictObject({
        simple: tierName.default(DEFAULT_COMPLEXITY_TIERS.simple),
        medium: tierName.default(DEFAULT_COMPLEXITY_TIERS.medium),
        complex: tierName.default(DEFAULT_COMPLEXITY_TIERS.complex),
      })
      .default({ ...DEFAULT_COMPLEXITY_TIERS }),
    circuit: z
      .strictObject({
        failureThreshold: z.number().int().positive().default(DEFAULT_FAILURE_THRESHOLD),
        cooldownSeconds: z.number().positive().default(DEFAULT_COOLDOWN_SECONDS),
      })
      .default({ failureThreshold: DEFAULT_FAILURE_THRESHOLD, cooldownSeconds: DEFAULT_COOLDOWN_SECONDS }),
    health: z
      .strictObject({ intervalMinutes: z.number().positive().default(DEFAULT_HEALTH_INTERVAL_MINUTES) })
      .default({ intervalMinutes: DEFAULT_HEALTH_INTERVAL_MINUTES }),
  })
  .superRefine((pool, context) => {
    const seen = new Map<string, string>();
    let total = 0;
    for (const tier of POOL_TIERS) {
      pool.tiers[tier].forEach((model, index) => {
        total += 1;
        const where = `tiers.${tier}.${index}.id`;
        const first = seen.get(model.id);
        if (first) context.addIssue({ code: 'custom', path: ['tiers', tier, index, 'id'], message: `duplicate model id "${model.id}" (first at ${first})` });
        else seen.set(model.id, where);
      });
    }
    if (total === 0) context.addIssue({ code: 'custom', path: ['tiers'], message: 'the pool has no models; add at least one to a tier' });
  });
export type PoolConfig = z.infer<typeof poolConfigSchema>;

export type PoolConfigIssue = { path: string; message: string };

/** Thrown when a model pool file is not valid YAML/JSON or breaks the schema; lists every issue with its path. */
export class PoolConfigError extends Error {
  constructor(readonly source: string, readonly issues: readonly PoolConfigIssue[]) {
    super(`model pool ${source} is invalid:\n${issues.map((issue) => `  - ${issue.path || '(file)'}: ${issue.message}`).join('\n')}`);
    this.name = 'PoolConfigError';
  }
}

/** Parses a pool file written in YAML or JSON (JSON is YAML); `source` names it in errors. */
export function parsePoolConfig(text: string, source: string): PoolConfig {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new PoolConfigError(source, [{ path: '', message: `not valid YAML or JSON: ${(error as Error).message}` }]);
  }
  const result = poolConfigSchema.safeParse(document);
  if (!result.success) {
    throw new PoolConfigError(source, result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  }
  return result.data;
}

/** Every model of the pool with its tier, in tier order then file order. */
export function poolModels(pool: PoolConfig): Array<PoolModel & { tier: PoolTier }> {
  return POOL_TIERS.flatMap((tier) => pool.tiers[tier].map((model) => ({ ...model, tier })));
}
