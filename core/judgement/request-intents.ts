// What a user's request asks for, read from its verbs: the intents it wants and the ones it forbids
// ("do not delete anything"). Deliberately shallow — a cheap, explainable signal the outcome check
// adds to the model's own judgement, never a replacement for it.

export const REQUEST_INTENTS = ['delete', 'move', 'copy', 'create', 'modify', 'read'] as const;
export type RequestIntent = (typeof REQUEST_INTENTS)[number];

/** Verb patterns (with their inflections) per intent; `backup`/`archive` keep the originals, so they count as copy. */
const INTENT_VERBS: ReadonlyArray<readonly [RequestIntent, RegExp]> = [
  ['delete', /\b(?:delet(?:e|es|ed|ing)|remov(?:e|es|ed|ing)|eras(?:e|es|ed|ing)|wip(?:e|es|ed|ing)|purg(?:e|es|ed|ing)|discard(?:s|ed|ing)?|unlink(?:s|ed|ing)?|clean(?:s|ed|ing)?\s+up|get\s+rid\s+of|clear(?:s|ed|ing)?|empty(?:ing)?|emptie[sd]|reset(?:s|ting)?|prun(?:e|es|ed|ing)|drop(?:s|ped|ping)?|uninstall(?:s|ed|ing)?|rm)\b/giu],
  ['move', /\b(?:mov(?:e|es|ed|ing)|renam(?:e|es|ed|ing)|relocat(?:e|es|ed|ing)|mv)\b/giu],
  ['copy', /\b(?:cop(?:y|ies|ied|ying)|duplicat(?:e|es|ed|ing)|back(?:s|ed|ing)?\s+up|backups?|archiv(?:e|es|ed|ing)|cp)\b/giu],
  ['create', /\b(?:creat(?:e|es|ed|ing)|mak(?:e|es|ing)|generat(?:e|es|ed|ing)|add(?:s|ed|ing)?|writ(?:e|es|ing)|touch|mkdir)\b/giu],
  ['modify', /\b(?:edit(?:s|ed|ing)?|modif(?:y|ies|ied|ying)|updat(?:e|es|ed|ing)|chang(?:e|es|ed|ing)|fix(?:es|ed|ing)?|replac(?:e|es|ed|ing)|refactor(?:s|ed|ing)?)\b/giu],
  ['read', /\b(?:read(?:s|ing)?|show(?:s|ed|ing)?|list(?:s|ed|ing)?|print(?:s|ed|ing)?|display(?:s|ed|ing)?|count(?:s|ed|ing)?|find(?:s|ing)?|search(?:es|ed|ing)?|look\s+at|cat|check(?:s|ed|ing)?)\b/giu],
];

/** A verb preceded (within three words) by a negation is forbidden, not wanted. */
const NEGATION = /\b(?:don[’']?t|do\s+not|does\s+not|doesn[’']?t|never|without|not|avoid)\b(?:[^\w.!?;]+\w+){0,3}[^\w.!?;]*$/iu;

export type RequestIntents = { wanted: RequestIntent[]; forbidden: RequestIntent[] };

export function intentsOf(request: string): RequestIntents {
  const wanted = new Set<RequestIntent>();
  const forbidden = new Set<RequestIntent>();
  for (const [intent, pattern] of INTENT_VERBS) {
    for (const match of request.matchAll(pattern)) {
      // A path or file name that happens to be a verb (`backup/`, `old/copy.txt`) asks for nothing.
      const end = match.index + match[0].length;
      if (/[/.-]/u.test(request[match.index - 1] ?? '') || /^(?:\/|\.\w)/u.test(request.slice(end, end + 2))) continue;
      const before = request.slice(Math.max(0, match.index - 40), match.index);
      (NEGATION.test(before) ? forbidden : wanted).add(intent);
    }
  }
  return { wanted: REQUEST_INTENTS.filter((intent) => wanted.has(intent)), forbidden: REQUEST_INTENTS.filter((intent) => forbidden.has(intent)) };
}
