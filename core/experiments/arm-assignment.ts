// Which arm of an experiment a user gets: a stable hash of (experiment id, user id) placed on the
// arms' cumulative weights, so the same user always lands on the same arm and no state is kept.

export type WeightedArm = { name: string; weight: number };

/** 32-bit FNV-1a over the UTF-16 code units, then murmur3's finaliser so near-identical ids spread over the whole range. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The user's point in [0, 1) for this experiment: independent across experiments, fixed within one. */
export function assignmentPoint(experimentId: string, userId: string): number {
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  return stableHash(`${experimentId}\u0000${userId}`) / 2 ** 32;
}

/** The arm whose share of the total weight holds the user's point; arms must be non-empty with positive weights. */
export function assignArm<Arm extends WeightedArm>(experimentId: string, userId: string, arms: readonly Arm[]): Arm {
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
  const point = assignmentPoint(experimentId, userId) * total;
  let reached = 0;
  for (const arm of arms) {
    reached += arm.weight;
    if (point < reached) return arm;
  }
  const last = arms[arms.length - 1];
  if (!last) throw new Error('an experiment needs at least one arm');
  return last;
}
