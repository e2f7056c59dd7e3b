// Which size the chaos and load suites run at: `full` (the figures: 100 killed runs, 20 runs
// across a Temporal restart, 500 load runs) or `bounded` (a few minutes on 2 cores, what CI runs).
export type ChaosMode = 'bounded' | 'full';

export const CHAOS_MODE: ChaosMode = process.env.KEEL_CHAOS_MODE === 'bounded' ? 'bounded' : 'full';

/** The figure for the current mode. */
export function sized<T>(figures: Record<ChaosMode, T>): T {
  return figures[CHAOS_MODE];
}

/** A whole number in [low, high], from Math.random: the kill points are meant to differ between runs. */
export function randomBetween(low: number, high: number): number {
  return low + Math.floor(Math.random() * (high - low + 1));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `concurrency` in flight, results in input order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!, index);
  });
  await Promise.all(lanes);
  return results;
}
