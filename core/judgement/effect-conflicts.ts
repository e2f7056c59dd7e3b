// The deterministic half of the outcome check: a predicted effect that contradicts what the request
// asks for is a mismatch even when the predicting model says the call matches. Only clear conflicts
// count — deleting what the user wants moved, copied or kept; doing what the user said not to do;
// deleting when the user only asked to look — so a request without such verbs never blocks a call.
import type { OutcomeEffect } from './outcome-effects';
import type { RequestIntent, RequestIntents } from './request-intents';

export type EffectConflict = {
  effect: OutcomeEffect;
  /** The intent of the request it contradicts. */
  intent: RequestIntent;
  /** One clause a model can act on, e.g. "this would delete files but the request asks to move them". */
  detail: string;
};

const PRESERVING_INTENTS: readonly RequestIntent[] = ['move', 'copy'];
const VERB: Readonly<Record<RequestIntent, string>> = { delete: 'delete', move: 'move', copy: 'copy or back up', create: 'create', modify: 'modify', read: 'read or inspect' };

export function effectConflicts(intents: RequestIntents, effects: readonly OutcomeEffect[]): EffectConflict[] {
  const conflicts: EffectConflict[] = [];
  const predicted = new Set(effects);
  for (const intent of intents.forbidden) {
    const effect = intent as OutcomeEffect;
    if (intent !== 'read' && predicted.has(effect)) {
      conflicts.push({ effect, intent, detail: `this would ${VERB[intent]} but the request says not to` });
    }
  }
  if (!predicted.has('delete') || intents.wanted.includes('delete')) return conflicts;
  // A move or copy the call makes itself may legitimately remove the originals (mv); a delete without one loses them.
  const preserving = intents.wanted.filter((intent) => PRESERVING_INTENTS.includes(intent));
  if (preserving.length > 0 && !predicted.has('move') && !predicted.has('copy')) {
    const intent = preserving[0] as RequestIntent;
    conflicts.push({ effect: 'delete', intent, detail: `this would delete but the request asks to ${preserving.map((wanted) => VERB[wanted]).join(' and ')}` });
  }
  if (intents.wanted.length > 0 && intents.wanted.every((intent) => intent === 'read')) {
    conflicts.push({ effect: 'delete', intent: 'read', detail: 'this would delete but the request only asks to read or inspect' });
  }
  return conflicts;
}
