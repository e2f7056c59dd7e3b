// The pool as the worker and API use it: models by id with their tier, each model's output
// allowance (its `maxOutputTokens`, or the provider default Keel sends), and the plain model
// specs the pool adds to the catalog.
import { DEFAULT_MAX_OUTPUT_TOKENS, type ModelSpec } from '../model-spec';
import { poolModels, type PoolConfig, type PoolModel } from './pool-config';
import type { PoolTier } from './tiers';

export type PooledModel = PoolModel & { tier: PoolTier };

export class ModelPool {
  private readonly byId: Map<string, PooledModel>;

  constructor(readonly config: PoolConfig) {
    this.byId = new Map(poolModels(config).map((model) => [model.id, model]));
  }

  model(modelId: string): PooledModel | undefined {
    return this.byId.get(modelId);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Output tokens a call to this model may produce: what the provider is asked for. */
  outputAllowance(model: Pick<PoolModel, 'maxOutputTokens'>): number {
    return model.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  }

  /** The pool with every output cap filled in, so selection estimates what calls really ask for. */
  forSelection(): PoolConfig {
    const tiers = Object.fromEntries(
      Object.entries(this.config.tiers).map(([tier, models]) => [tier, models.map((model) => ({ ...model, maxOutputTokens: this.outputAllowance(model) }))]),
    ) as PoolConfig['tiers'];
    return { ...this.config, tiers };
  }
}

/** The catalog entry of a pool model: how it is reached and its window, without price or capabilities. */
export function poolModelSpec(model: PoolModel): ModelSpec {
  const { pricing: _pricing, capabilities: _capabilities, speed: _speed, ...spec } = model;
  return spec;
}
