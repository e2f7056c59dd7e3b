// Properties of planning a growing conversation's context step by step, with pinned system messages
// (recalled notes) in the middle and the run's summary reused and extended: what must survive does,
// calls and results never part, one summary stands in, and the budget is never exceeded.
import fc from 'fast-check';
import { ContextOverflowError, createTokenCounter, planContext, type SequencedMessage, type StoredSummary, type TokenCounter } from '../../../core/context';
import { toolCallsOf, type Message } from '../../../core/messages';
import { conversationArbitrary } from './conversation-arbitraries';

const counters: TokenCounter[] = [createTokenCounter('gpt-4o', 'openai'), createTokenCounter('claude-sonnet-4-5', 'anthropic')];

const caseArbitrary = fc.record({
  conversation: conversationArbitrary,
  counter: fc.constantFrom(...counters),
  /** Where recalled notes (system messages after the first) are inserted. */
  pins: fc.array(fc.nat(), { maxLength: 3 }),
  windowShare: fc.double({ min: 0.25, max: 0.9, noNaN: true }),
  reserved: fc.integer({ min: 0, max: 200 }),
  summaryWords: fc.integer({ min: 0, max: 400 }),
  steps: fc.integer({ min: 2, max: 6 }),
});

function withPins(messages: readonly Message[], pins: readonly number[]): Message[] {
  const result = [...messages];
  for (const pin of pins) {
    // Inserted between turns only (never between a call and its results), as a step would.
    let at = 1 + (pin % Math.max(1, result.length));
    while (at < result.length && result[at]?.type === 'tool-result') at += 1;
    result.splice(at, 0, { type: 'system', text: `Recalled note ${pin}: the user prefers tabs.` });
  }
  return result;
}

function checkInvariants(input: readonly Message[], output: readonly Message[], totalTokens: number, counter: TokenCounter, available: number): void {
  expect(totalTokens).toBe(counter.countRequest(undefined, output, []));
  expect(totalTokens).toBeLessThanOrEqual(available);
  const inputs = new Set(input);
  const extras = output.filter((message) => !inputs.has(message));
  expect(extras.length).toBeLessThanOrEqual(1);
  for (const extra of extras) expect(extra.type === 'user' && /^\[(Summary of \d+ earlier messages\]|\d+ earlier messages were left out)/.test(extra.text)).toBe(true);
  // The system prompt first; every system message (pins) kept; the latest user message kept; order kept.
  expect(output[0]).toBe(input[0]);
  for (const message of input) if (message.type === 'system') expect(output).toContain(message);
  const latestUser = input.findLast((message) => message.type === 'user');
  if (latestUser) expect(output).toContain(latestUser);
  const positions = output.filter((message) => inputs.has(message)).map((message) => input.indexOf(message));
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  const calls = new Set(output.flatMap((message) => (message.type === 'assistant' ? toolCallsOf(message).map((call) => call.callId) : [])));
  const results = new Set(output.flatMap((message) => (message.type === 'tool-result' ? [message.callId] : [])));
  expect([...results].every((callId) => calls.has(callId))).toBe(true);
  expect([...calls].every((callId) => results.has(callId))).toBe(true);
}

describe('planning a growing conversation step by step', () => {
  it('keeps every invariant while the summary is created, reused and extended', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ conversation, counter, pins, windowShare, reserved, summaryWords, steps }) => {
        const messages = withPins(conversation.messages, pins);
        const entries: SequencedMessage[] = messages.map((message, index) => ({ seq: index + 1, message }));
        const whole = counter.countRequest(undefined, messages, []);
        const available = Math.max(50, Math.floor(whole * windowShare));
        let previous: StoredSummary | undefined;
        for (let step = 1; step <= steps; step += 1) {
          // The transcript grows between steps; each step sees a longer prefix (cut at turn starts).
          let length = Math.ceil((entries.length * step) / steps);
          while (length < entries.length && entries[length]?.message.type === 'tool-result') length += 1;
          const visible = entries.slice(0, length);
          const input = visible.map((entry) => entry.message);
          try {
            const plan = planContext({ entries: visible, counter, contextWindow: available + reserved, reservedOutputTokens: reserved, previous, summaryMaxTokens: 300 });
            if (plan.kind === 'summarise') {
              const text = summaryWords > 0 ? 'word '.repeat(summaryWords) : undefined;
              const built = plan.complete(text);
              checkInvariants(input, built.messages, built.totalTokens, counter, available);
              // The summariser reads only what the previous summary does not already cover.
              const earlier = previous;
              if (earlier) {
                const seqOf = (message: Message) => visible.find((entry) => entry.message === message)!.seq;
                const covered = (seq: number) => seq >= earlier.fromSeq && seq <= earlier.throughSeq && !earlier.keptSeqs.includes(seq);
                for (const message of plan.newlyDropped) expect(covered(seqOf(message))).toBe(false);
              }
              if (text) previous = { ...plan.coverage, text };
            } else {
              checkInvariants(input, plan.messages, plan.totalTokens, counter, available);
            }
          } catch (error) {
            if (!(error instanceof ContextOverflowError)) throw error;
            expect(error.requiredTokens).toBeGreaterThan(error.availableTokens);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
