// Properties of fitting generated conversations into random budgets: what must survive does, tool
// calls and results never part, and the result never exceeds the budget by a single token.
import fc from 'fast-check';
import { ContextOverflowError, createTokenCounter, fitContext, summaryMessage, type TokenCounter } from '../../../core/context';
import { toolCallsOf, type Message } from '../../../core/messages';
import { conversationArbitrary, type GeneratedConversation } from './conversation-arbitraries';

const counters: TokenCounter[] = [createTokenCounter('gpt-4o', 'openai'), createTokenCounter('claude-sonnet-4-5', 'anthropic')];

type Case = {
  conversation: GeneratedConversation;
  counter: TokenCounter;
  pins: number[];
  windowShare: number;
  reserved: number;
  summary: { text: string } | undefined;
};

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  conversation: conversationArbitrary,
  counter: fc.constantFrom(...counters),
  pins: fc.oneof(fc.constant<number[]>([]), fc.array(fc.nat(), { maxLength: 2 })),
  // Mostly budgets that force dropping something; sometimes ones too small for what must be kept.
  windowShare: fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: 0.4, max: 1.2, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: 0.05, max: 0.4, noNaN: true }) },
  ),
  reserved: fc.integer({ min: 0, max: 300 }),
  summary: fc.option(fc.lorem({ maxCount: 20 }).map((text) => ({ text })), { nil: undefined }),
});

/** What the test knows independently: the generator's turns. */
function mandatoryTurns({ messages, turnOf }: GeneratedConversation, pinned: ReadonlySet<number>): Set<number> {
  const latestUser = messages.findLastIndex((message) => message.type === 'user');
  // Turn -1 holds the system prompts, which always survive.
  return new Set([-1, ...[...pinned, ...(latestUser >= 0 ? [latestUser] : [])].map((index) => turnOf[index] ?? -1)]);
}

function checkOverflowIsReal(testCase: Case, pinned: ReadonlySet<number>, available: number): void {
  const { messages, turnOf } = testCase.conversation;
  const mandatory = mandatoryTurns(testCase.conversation, pinned);
  const kept = messages.filter((_, index) => mandatory.has(turnOf[index] ?? -1));
  const droppable = messages.length - kept.length;
  const needed = testCase.counter.countRequest(undefined, kept, []) + (droppable > 0 ? testCase.counter.countMessage(summaryMessage(droppable, testCase.summary)) : 0);
  expect(needed).toBeGreaterThan(available);
}

function checkResult(testCase: Case, pinned: ReadonlySet<number>, available: number): void {
  const { messages, turnOf } = testCase.conversation;
  const fitted = fitContext({ messages, counter: testCase.counter, contextWindow: available + testCase.reserved, reservedOutputTokens: testCase.reserved, pinned, summary: testCase.summary });
  // Within budget, to the token, by the counter's own count.
  expect(fitted.totalTokens).toBe(testCase.counter.countRequest(undefined, fitted.messages, []));
  expect(fitted.totalTokens).toBeLessThanOrEqual(available);
  // A subsequence of the input plus at most one summary message.
  const keptIndexes: number[] = [];
  const extras: Message[] = [];
  let cursor = 0;
  for (const message of fitted.messages) {
    const found = messages.indexOf(message, cursor);
    if (found < 0) extras.push(message);
    else {
      keptIndexes.push(found);
      cursor = found + 1;
    }
  }
  const kept = new Set(keptIndexes);
  expect(extras.length).toBe(fitted.droppedCount > 0 ? 1 : 0);
  expect(fitted.droppedCount).toBe(messages.length - kept.size);
  expect(fitted.needsSummary).toBe(fitted.droppedCount > 0 && testCase.summary === undefined);
  if (extras[0]) expect(extras[0]).toEqual(summaryMessage(fitted.droppedCount, testCase.summary));
  // System prompts first, the latest user message and the pins kept.
  messages.forEach((message, index) => {
    if (message.type === 'system') expect(fitted.messages[index]).toBe(message);
  });
  const latestUser = messages.findLastIndex((message) => message.type === 'user');
  if (latestUser >= 0) expect(kept.has(latestUser)).toBe(true);
  for (const pin of pinned) expect(kept.has(pin)).toBe(true);
  // Whole turns only: every kept message's turn is kept entirely, so no call or result is orphaned.
  messages.forEach((_, index) => expect(kept.has(index)).toBe(kept.has(messages.findIndex((__, other) => turnOf[other] === turnOf[index]))));
  const keptCalls = new Set(fitted.messages.flatMap((message) => (message.type === 'assistant' ? toolCallsOf(message).map((call) => call.callId) : [])));
  const keptResults = new Set(fitted.messages.flatMap((message) => (message.type === 'tool-result' ? [message.callId] : [])));
  expect([...keptResults].every((callId) => keptCalls.has(callId))).toBe(true);
  expect([...keptCalls].every((callId) => keptResults.has(callId))).toBe(true);
  // One contiguous dropped range; only mandatory turns survive inside it.
  if (fitted.droppedRange) {
    const { from, to } = fitted.droppedRange;
    expect(kept.has(from) || kept.has(to - 1)).toBe(false);
    messages.forEach((_, index) => {
      if (!kept.has(index)) expect(index >= from && index < to).toBe(true);
      else if (index >= from && index < to) expect(mandatoryTurns(testCase.conversation, pinned).has(turnOf[index] ?? -1)).toBe(true);
    });
  }
}

describe('fitting generated conversations', () => {
  it('keeps every invariant for any conversation, pins and budget', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const { messages } = testCase.conversation;
        const pinned = new Set(testCase.pins.map((pin) => pin % messages.length));
        const whole = testCase.counter.countRequest(undefined, messages, []);
        const available = Math.max(1, Math.floor(whole * testCase.windowShare));
        try {
          checkResult(testCase, pinned, available);
        } catch (error) {
          if (!(error instanceof ContextOverflowError)) throw error;
          expect(error.availableTokens).toBe(available);
          expect(error.requiredTokens).toBeGreaterThan(available);
          checkOverflowIsReal(testCase, pinned, available);
        }
      }),
      { numRuns: 300 },
    );
  });
});
