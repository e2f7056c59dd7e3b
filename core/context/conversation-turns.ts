// Splits a transcript into the atomic units truncation keeps or drops whole: the leading system
// messages, then turns, where an assistant message and all results of its tool calls never part.
import type { Message } from '../messages';
import { toolCallsOf } from '../messages';

/** Messages `start` (inclusive) to `end` (exclusive) of the transcript. */
export type Turn = { start: number; end: number };

export type TurnLayout = {
  /** How many system messages open the transcript. */
  headCount: number;
  turns: Turn[];
};

/**
 * Each message reaches at least itself; an assistant message reaches its last tool result (wherever it
 * is), and a tool result without its call holds on to the message before it. Overlapping reaches merge.
 */
export function groupIntoTurns(messages: readonly Message[]): TurnLayout {
  let headCount = 0;
  while (messages[headCount]?.type === 'system') headCount += 1;
  const reach = messages.map((_, index) => index);
  const callOwner = new Map<string, number>();
  messages.forEach((message, index) => {
    if (index < headCount) return;
    if (message.type === 'assistant') {
      for (const call of toolCallsOf(message)) callOwner.set(call.callId, index);
    } else if (message.type === 'tool-result') {
      const owner = callOwner.get(message.callId) ?? (index > headCount ? index - 1 : index);
      reach[owner] = Math.max(reach[owner] ?? owner, index);
    }
  });
  const turns: Turn[] = [];
  let start = headCount;
  while (start < messages.length) {
    let last = reach[start] ?? start;
    for (let index = start + 1; index <= last; index += 1) last = Math.max(last, reach[index] ?? index);
    turns.push({ start, end: last + 1 });
    start = last + 1;
  }
  return { headCount, turns };
}
