// The pool's tiers, the complexity levels a request can have, and the order selection walks the
// tiers in: the preferred tier first, then down towards cheaper tiers, then up.

/** Tiers from most to least capable (and, usually, most to least expensive). */
export const POOL_TIERS = ['primary', 'backup', 'fallback'] as const;
export type PoolTier = (typeof POOL_TIERS)[number];

export const COMPLEXITY_LEVELS = ['simple', 'medium', 'complex'] as const;
export type Complexity = (typeof COMPLEXITY_LEVELS)[number];

/** What a run may ask for: a level, or `auto` to let the classifier decide. */
export const COMPLEXITY_CHOICES = [...COMPLEXITY_LEVELS, 'auto'] as const;
export type ComplexityChoice = (typeof COMPLEXITY_CHOICES)[number];

/**
 * Default routing: hard work goes to the strongest tier, easy work to the cheapest.
 * A pool file can override it with `complexityTiers`.
 */
export const DEFAULT_COMPLEXITY_TIERS: Readonly<Record<Complexity, PoolTier>> = {
  simple: 'fallback',
  medium: 'backup',
  complex: 'primary',
};

/**
 * The tiers in the order selection tries them: the preferred one, the cheaper ones below it
 * (nearest first), then the stronger ones above it (nearest first). Going down first keeps an
 * outage of the preferred tier from silently multiplying the bill.
 */
export function tierWalk(preferred: PoolTier): PoolTier[] {
  const index = POOL_TIERS.indexOf(preferred);
  const below = POOL_TIERS.slice(index + 1);
  const above = POOL_TIERS.slice(0, index).reverse();
  return [preferred, ...below, ...above];
}

/** Where a tier sits relative to the preferred one, for the reasons selection gives. */
export function tierDirection(tier: PoolTier, preferred: PoolTier): 'preferred' | 'down' | 'up' {
  const offset = POOL_TIERS.indexOf(tier) - POOL_TIERS.indexOf(preferred);
  if (offset === 0) return 'preferred';
  return offset > 0 ? 'down' : 'up';
}
