// The kinds of effect a tool call can have on the world, as a predicting model reports them and as
// the deterministic cross-check compares them with what the user asked for.

export const OUTCOME_EFFECTS = ['delete', 'move', 'copy', 'create', 'modify', 'read', 'network', 'execute'] as const;
export type OutcomeEffect = (typeof OUTCOME_EFFECTS)[number];

/** Words models use for the same effect; anything not listed here or in OUTCOME_EFFECTS is dropped. */
const EFFECT_SYNONYMS: Readonly<Record<string, OutcomeEffect>> = {
  remove: 'delete', removal: 'delete', deletion: 'delete', erase: 'delete', unlink: 'delete', destroy: 'delete', truncate: 'delete', overwrite: 'modify',
  rename: 'move', relocate: 'move', duplicate: 'copy', backup: 'copy', write: 'modify', edit: 'modify', update: 'modify', append: 'modify',
  mkdir: 'create', list: 'read', inspect: 'read', download: 'network', upload: 'network', run: 'execute', exec: 'execute', install: 'execute',
};

/** Known effects named in `words`, lower-cased and de-duplicated, synonyms folded in. */
export function normaliseEffects(words: readonly string[]): OutcomeEffect[] {
  const effects = new Set<OutcomeEffect>();
  for (const word of words) {
    const key = word.trim().toLowerCase();
    if ((OUTCOME_EFFECTS as readonly string[]).includes(key)) effects.add(key as OutcomeEffect);
    else if (EFFECT_SYNONYMS[key]) effects.add(EFFECT_SYNONYMS[key]);
  }
  return [...effects];
}
