// The system message that brings recalled notes into a run's context: best notes first, cut to a
// token budget. Tokens are estimated at four characters each: the budget is a ceiling for a few
// hundred tokens of notes, where an exact tokenizer would cost more than it saves.
import type { Note } from './note';

export const RECALL_HEADER = 'Notes from earlier runs (most relevant first; they may be out of date):';
export const RECALL_SOURCE_KEY = 'memory:recall';
/** Notes fetched for automatic recall before the budget cuts them. */
export const AUTO_RECALL_LIMIT = 10;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Undefined when no note fits: the run then gets no recall message at all. */
export function recallMessageText(notes: readonly Note[], tokenBudget: number, countTokens: (text: string) => number = estimateTokens): string | undefined {
  let used = countTokens(RECALL_HEADER);
  const lines: string[] = [];
  for (const note of notes) {
    const line = `- (${note.category}, ${note.createdAt.toISOString().slice(0, 10)}) ${note.content}`;
    const cost = countTokens(line) + 1;
    if (used + cost > tokenBudget) break;
    used += cost;
    lines.push(line);
  }
  return lines.length === 0 ? undefined : [RECALL_HEADER, ...lines].join('\n');
}
