// Which turns of a too-long transcript survive: mandatory turns always, then the newest turns within
// the recent budget, then the oldest turns with what is left, leaving one contiguous dropped range.

export type TurnSelectionInput = {
  /** Token cost of each turn, oldest first. */
  costs: readonly number[];
  /** Turns that must survive (latest user message, pins, mid-transcript system messages); already paid for. */
  mandatory: readonly boolean[];
  /** Tokens left for optional turns once the mandatory ones, fixed overhead and a summary are paid for. */
  spareTokens: number;
  /** Cap on what the newest turns (mandatory ones included) may take in the first pass. */
  recentTokens: number;
};

/**
 * Turns before `keptPrefix` and from `suffixStart` on are kept; in between, only mandatory turns are.
 * Both edges stop at the first turn that does not fit, so what is dropped stays one contiguous range.
 */
export type TurnSelection = { keptPrefix: number; suffixStart: number };

export function selectTurns({ costs, mandatory, spareTokens, recentTokens }: TurnSelectionInput): TurnSelection {
  let spare = spareTokens;
  let recentUsed = 0;
  let suffixStart = costs.length;
  let keptPrefix = 0;
  const fits = (turn: number, recentCap: number): boolean => {
    const cost = costs[turn] ?? 0;
    return cost <= spare && recentUsed + cost <= recentCap;
  };
  const extendSuffix = (recentCap: number): void => {
    while (suffixStart > keptPrefix) {
      const turn = suffixStart - 1;
      if (!mandatory[turn]) {
        if (!fits(turn, recentCap)) return;
        spare -= costs[turn] ?? 0;
      }
      recentUsed += costs[turn] ?? 0;
      suffixStart = turn;
    }
  };
  extendSuffix(recentTokens);
  // Older context takes everything left, oldest first.
  while (keptPrefix < suffixStart) {
    if (!mandatory[keptPrefix]) {
      if (!fits(keptPrefix, Number.POSITIVE_INFINITY)) break;
      spare -= costs[keptPrefix] ?? 0;
    }
    keptPrefix += 1;
  }
  // Whatever older context could not use goes back to recent turns.
  extendSuffix(Number.POSITIVE_INFINITY);
  return { keptPrefix, suffixStart };
}

/** The selection with one more optional turn dropped (the older side first), or undefined when none is left. */
export function widenDroppedRange(selection: TurnSelection, mandatory: readonly boolean[]): TurnSelection | undefined {
  for (let keptPrefix = selection.keptPrefix - 1; keptPrefix >= 0; keptPrefix -= 1) {
    if (!mandatory[keptPrefix]) return { ...selection, keptPrefix };
  }
  for (let suffixStart = selection.suffixStart + 1; suffixStart <= mandatory.length; suffixStart += 1) {
    if (!mandatory[suffixStart - 1]) return { ...selection, suffixStart };
  }
  return undefined;
}
