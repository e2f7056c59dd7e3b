// Generated conversations for the truncation properties: system prompts, then a random mix of user
// text, assistant text and assistant tool calls each followed by all of its (sometimes long) results.
import fc from 'fast-check';
import type { AssistantMessage, Message, ToolResultMessage } from '../../../core/messages';

export type GeneratedConversation = {
  messages: Message[];
  /** Turn number of each message; system messages are turn -1. */
  turnOf: number[];
};

type TurnShape =
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; text: string }
  | { kind: 'tools'; text: string; outputs: string[] };

const sentence = fc.lorem({ maxCount: 12 }).map((text) => text || 'ok');
const longOutput = fc.tuple(fc.lorem({ maxCount: 15 }), fc.integer({ min: 20, max: 250 })).map(([line, times]) => `${line || 'row'}\n`.repeat(times));
const output = fc.oneof({ weight: 3, arbitrary: sentence }, { weight: 1, arbitrary: longOutput });

const turnShape: fc.Arbitrary<TurnShape> = fc.oneof(
  sentence.map((text) => ({ kind: 'user' as const, text })),
  sentence.map((text) => ({ kind: 'assistant' as const, text })),
  fc.record({ kind: fc.constant('tools' as const), text: fc.oneof(fc.constant(''), sentence), outputs: fc.array(output, { minLength: 1, maxLength: 3 }) }),
);

function toMessages(shape: TurnShape, turn: number): Message[] {
  if (shape.kind === 'user') return [{ type: 'user', text: shape.text }];
  if (shape.kind === 'assistant') return [{ type: 'assistant', parts: [{ type: 'text', text: shape.text }] }];
  const callIds = shape.outputs.map((_, index) => `call-${turn}-${index}`);
  const assistant: AssistantMessage = {
    type: 'assistant',
    parts: [
      ...(shape.text ? [{ type: 'text' as const, text: shape.text }] : []),
      ...callIds.map((callId) => ({ type: 'tool-call' as const, callId, toolName: 'search', arguments: { query: callId } })),
    ],
  };
  const results: ToolResultMessage[] = shape.outputs.map((text, index) => ({
    type: 'tool-result',
    callId: callIds[index] ?? '',
    toolName: 'search',
    output: text,
    isError: false,
  }));
  return [assistant, ...results];
}

export const conversationArbitrary: fc.Arbitrary<GeneratedConversation> = fc
  .tuple(fc.array(sentence, { minLength: 1, maxLength: 2 }), fc.array(turnShape, { minLength: 1, maxLength: 30 }))
  .map(([systems, shapes]) => {
    const messages: Message[] = systems.map((text) => ({ type: 'system', text }));
    const turnOf = systems.map(() => -1);
    shapes.forEach((shape, turn) => {
      for (const message of toMessages(shape, turn)) {
        messages.push(message);
        turnOf.push(turn);
      }
    });
    return { messages, turnOf };
  });
