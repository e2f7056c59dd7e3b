// Budgeted truncation, rule by rule: what always survives, what goes together, where the summary
// goes, how the recent and older budgets share the window, and when it cannot fit at all.
import {
  ContextOverflowError,
  createTokenCounter,
  fitContext,
  placeholderText,
  summaryHeader,
} from '../../../core/context';
import type { Message } from '../../../core/messages';

const counter = createTokenCounter('gpt-4o', 'openai');
const words = (count: number, word = 'lorem') => `${word} `.repeat(count).trim();
const system: Message = { type: 'system', text: 'You are a careful agent.' };
const user = (text: string): Message => ({ type: 'user', text });
const reply = (text: string): Message => ({ type: 'assistant', parts: [{ type: 'text', text }] });
const toolTurn = (callId: string, ...outputs: string[]): Message[] => [
  { type: 'assistant', parts: outputs.map((_, index) => ({ type: 'tool-call' as const, callId: `${callId}-${index}`, toolName: 'search', arguments: { index } })) },
  ...outputs.map((output, index): Message => ({ type: 'tool-result', callId: `${callId}-${index}`, toolName: 'search', output, isError: false })),
];
const total = (messages: Message[]) => counter.countRequest(undefined, messages, []);

describe('fitting a transcript into the context window', () => {
  it('returns the transcript unchanged when it fits', () => {
    const messages = [system, user('hello'), reply('hi')];
    const fitted = fitContext({ messages, counter, contextWindow: 1000, reservedOutputTokens: 100 });
    expect(fitted).toEqual({ messages, droppedCount: 0, totalTokens: total(messages), needsSummary: false });
  });

  it('keeps the system prompt and the latest user message and puts a placeholder where turns were dropped', () => {
    const messages = [system, user(words(200)), reply(words(200)), user(words(200)), reply(words(200)), user('and now?')];
    const fitted = fitContext({ messages, counter, contextWindow: 700, reservedOutputTokens: 200 });
    expect(fitted.messages[0]).toBe(system);
    expect(fitted.messages.at(-1)).toBe(messages[5]);
    expect(fitted.needsSummary).toBe(true);
    expect(fitted.messages).toContainEqual(user(placeholderText(fitted.droppedCount)));
    expect(fitted.droppedRange).toBeDefined();
    expect(fitted.totalTokens).toBeLessThanOrEqual(500);
    expect(fitted.totalTokens).toBe(total(fitted.messages));
  });

  it('uses the summary given, headed with how many messages it replaces', () => {
    const messages = [system, user(words(200)), reply(words(200)), user(words(200)), reply(words(200)), user('and now?')];
    const fitted = fitContext({ messages, counter, contextWindow: 700, reservedOutputTokens: 200, summary: { text: 'They discussed lorem.' } });
    expect(fitted.needsSummary).toBe(false);
    expect(fitted.messages).toContainEqual(user(`${summaryHeader(fitted.droppedCount)}\nThey discussed lorem.`));
  });

  it('drops an assistant tool call together with all of its results', () => {
    const messages = [system, user('task'), ...toolTurn('a', words(300), 'small', words(10)), reply(words(20)), user('next')];
    const fitted = fitContext({ messages, counter, contextWindow: 300, reservedOutputTokens: 0 });
    expect(fitted.messages.filter((message) => message.type === 'tool-result' || message.type === 'assistant' && message.parts[0]?.type === 'tool-call')).toEqual([]);
    expect(fitted.droppedRange).toEqual({ from: 2, to: 6 });
  });

  it('keeps a pinned tool result together with its call', () => {
    const messages = [system, user(words(100)), ...toolTurn('a', words(100), words(100)), reply(words(100)), user('next')];
    const fitted = fitContext({ messages, counter, contextWindow: 450, reservedOutputTokens: 0, pinned: new Set([4]) });
    expect(fitted.messages).toEqual(expect.arrayContaining(messages.slice(2, 5)));
    expect(fitted.droppedCount).toBeGreaterThan(0);
  });

  it('keeps the latest user message when many tool turns follow it, dropping turns after it', () => {
    const turns = Array.from({ length: 12 }, (_, index) => toolTurn(`t${index}`, words(80))).flat();
    const messages = [system, user('investigate the outage'), ...turns];
    const fitted = fitContext({ messages, counter, contextWindow: 900, reservedOutputTokens: 100 });
    expect(fitted.messages.slice(0, 2)).toEqual(messages.slice(0, 2));
    expect(fitted.droppedRange?.from).toBeGreaterThan(1);
    expect(fitted.messages.at(-1)).toBe(messages.at(-1));
    expect(fitted.totalTokens).toBeLessThanOrEqual(800);
  });

  it('fills recent turns newest-first within the recent budget and older turns with the rest', () => {
    const messages = [system, ...Array.from({ length: 20 }, (_, index) => user(words(50, `w${index % 10}`)))];
    const size = counter.countMessage(messages[1]!);
    const available = 1000;
    const fitted = fitContext({ messages, counter, contextWindow: available, reservedOutputTokens: 0 });
    const summaryAt = fitted.messages.findIndex((message) => !messages.includes(message));
    const recentCount = fitted.messages.length - summaryAt - 1;
    expect(recentCount).toBe(Math.floor(Math.floor(available * 0.4) / size));
    expect(fitted.messages.slice(1, summaryAt)).toEqual(messages.slice(1, summaryAt));
    expect(summaryAt).toBeGreaterThan(1);
    expect(available - fitted.totalTokens).toBeLessThan(size);
  });

  it('gives everything to recent turns when the budgets say so', () => {
    const messages = [system, ...Array.from({ length: 20 }, (_, index) => user(words(50, `w${index % 10}`)))];
    const fitted = fitContext({ messages, counter, contextWindow: 1000, reservedOutputTokens: 0, budgets: { system: 0, recent: 1, older: 0 } });
    expect(fitted.messages[1]).toEqual(user(placeholderText(fitted.droppedCount)));
    expect(fitted.droppedRange?.from).toBe(1);
  });

  it('never exceeds the budget by a single token, whatever the budget', () => {
    const messages = [system, user(words(120)), ...toolTurn('a', words(90), words(35)), reply(words(60)), user(words(40)), reply(words(15)), user('go')];
    for (let available = 120; available <= total(messages); available += 1) {
      const fitted = fitContext({ messages, counter, contextWindow: available + 50, reservedOutputTokens: 50 });
      expect(fitted.totalTokens).toBeLessThanOrEqual(available);
    }
  });

  it('keeps system messages that appear later in the transcript', () => {
    const late: Message = { type: 'system', text: 'The user prefers metric units.' };
    const messages = [system, user(words(200)), late, reply(words(200)), user('next')];
    const fitted = fitContext({ messages, counter, contextWindow: 150, reservedOutputTokens: 0 });
    expect(fitted.messages).toContain(late);
  });

  it('counts a separate system prompt and tool definitions against the budget', () => {
    const messages = [system, user(words(100)), reply(words(100)), user('next')];
    const tools = [{ name: 'search', description: words(60), parameters: { type: 'object' } }];
    const fitted = fitContext({ messages, counter, contextWindow: 300, reservedOutputTokens: 0, system: words(40), tools });
    expect(fitted.totalTokens).toBe(counter.countRequest(words(40), fitted.messages, tools));
    expect(fitted.totalTokens).toBeLessThanOrEqual(300);
    expect(fitted.droppedCount).toBeGreaterThan(0);
  });

  it('throws ContextOverflowError with the numbers when the system prompt and latest user message alone do not fit', () => {
    const messages = [system, reply('earlier'), user(words(500))];
    const attempt = () => fitContext({ messages, counter, contextWindow: 600, reservedOutputTokens: 200 });
    expect(attempt).toThrow(ContextOverflowError);
    expect(attempt).toThrow(/need \d+ tokens, but only 400 are available \(context window 600 minus 200 reserved/);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ availableTokens: 400, contextWindow: 600, reservedOutputTokens: 200 });
      expect((error as ContextOverflowError).requiredTokens).toBeGreaterThan(500);
    }
  });
});
