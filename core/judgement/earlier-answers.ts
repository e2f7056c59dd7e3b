// The answers a run gave before the one being checked, each with the user message it answered:
// what self-reflection compares a new answer against.
import { textOf, toolCallsOf, type Message } from '../messages';
import { normaliseAnswer } from './answer-normalisation';

export type EarlierStatement = {
  step: number;
  /** The user message that was current when the assistant said it. */
  request: string;
  text: string;
  /** A final answer (no tool calls), as opposed to text said alongside tool calls. */
  final: boolean;
};

/** Assistant texts in a transcript (oldest first), with the user message each one followed. */
export function assistantStatements(entries: ReadonlyArray<{ step: number; message: Message }>): EarlierStatement[] {
  const statements: EarlierStatement[] = [];
  let request = '';
  for (const { step, message } of entries) {
    if (message.type === 'user') request = message.text;
    if (message.type !== 'assistant') continue;
    const text = textOf(message).trim();
    if (text !== '') statements.push({ step, request, text, final: toolCallsOf(message).length === 0 });
  }
  return statements;
}

/**
 * The cheap, deterministic contradiction: an earlier final answer to the same request (same user
 * message, normalised) that normalises to something else. Different requests are left to the model.
 * Callers leave out answers that reflection already rejected, so a retry pass is not its own contradiction.
 */
export function sameRequestContradiction(earlier: readonly EarlierStatement[], current: { request: string; answer: string }): string | null {
  const request = normaliseAnswer(current.request);
  const answer = normaliseAnswer(current.answer);
  const clash = [...earlier].reverse().find((statement) => statement.final && normaliseAnswer(statement.request) === request && normaliseAnswer(statement.text) !== answer);
  if (!clash) return null;
  const shown = clash.text.length > 200 ? `${clash.text.slice(0, 200)}…` : clash.text;
  return `an earlier answer to the same request said "${shown}"`;
}
