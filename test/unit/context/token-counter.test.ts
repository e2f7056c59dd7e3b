// Token counting: tiktoken's exact counts and OpenAI's chat accounting, encoding choice by model,
// the conservative estimate for other models, and per-message caching.
import { get_encoding } from 'tiktoken';
import {
  createTokenCounter,
  encoderFor,
  encodingForModel,
  LONG_RUN_CHARS,
  MESSAGE_OVERHEAD,
  NAME_OVERHEAD,
  REPLY_PRIMING_TOKENS,
  TOOL_CALL_OVERHEAD,
} from '../../../core/context';
import type { Message } from '../../../core/messages';

const o200k = get_encoding('o200k_base');
const cl100k = get_encoding('cl100k_base');
afterAll(() => {
  o200k.free();
  cl100k.free();
});

const SAMPLE = 'Durable agents survive crashes: Temporal replays the workflow history, 日本語のテキスト too. 🚀 <|endoftext|>';

describe('choosing an encoding', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['o1-preview', 'o200k_base'],
    ['o3-mini', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['openai/gpt-4o', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
  ])('counts %s exactly with %s', (model, encoding) => {
    expect(encodingForModel(model, 'openai')).toEqual({ encodingName: encoding, exact: true });
  });

  it('estimates unknown OpenAI-compatible models with cl100k_base', () => {
    expect(encodingForModel('deepseek-chat', 'openai')).toEqual({ encodingName: 'cl100k_base', exact: false });
    expect(encodingForModel('llama3.1', 'openai')).toEqual({ encodingName: 'cl100k_base', exact: false });
  });

  it('estimates Anthropic and MiniMax models whichever wire format reaches them', () => {
    expect(encodingForModel('claude-sonnet-4-5', 'anthropic').exact).toBe(false);
    expect(encodingForModel('gpt-4o', 'anthropic').exact).toBe(false);
    expect(encodingForModel('MiniMax-M2', 'openai')).toEqual({ encodingName: 'cl100k_base', exact: false });
  });
});

describe('counting for OpenAI models', () => {
  it('counts plain text exactly as tiktoken does, special-token look-alikes included', () => {
    expect(createTokenCounter('gpt-4o', 'openai').countText(SAMPLE)).toBe(o200k.encode_ordinary(SAMPLE).length);
    expect(createTokenCounter('gpt-4', 'openai').countText(SAMPLE)).toBe(cl100k.encode_ordinary(SAMPLE).length);
  });

  it('counts a long prose text exactly', () => {
    const text = Array.from({ length: 5000 }, (_, index) => `word${index % 97}, and then`).join(' ');
    expect(createTokenCounter('gpt-4o', 'openai').countText(text)).toBe(o200k.encode_ordinary(text).length);
  });

  it('follows the published chat accounting: 3 per message, the role, the content, and 3 for the reply', () => {
    const counter = createTokenCounter('gpt-4o', 'openai');
    const messages: Message[] = [{ type: 'user', text: 'What is Temporal?' }, { type: 'assistant', parts: [{ type: 'text', text: 'A durable execution engine.' }] }];
    const tokens = (text: string) => o200k.encode_ordinary(text).length;
    const expected =
      MESSAGE_OVERHEAD + tokens('system') + tokens('You are terse.') +
      MESSAGE_OVERHEAD + tokens('user') + tokens('What is Temporal?') +
      MESSAGE_OVERHEAD + tokens('assistant') + tokens('A durable execution engine.') +
      REPLY_PRIMING_TOKENS;
    expect(counter.countRequest('You are terse.', messages, [])).toBe(expected);
    expect(counter.countMessage(messages[0]!)).toBe(MESSAGE_OVERHEAD + 1 + tokens('What is Temporal?'));
  });

  it('counts tool calls by name and JSON arguments, and tool results with their tool name', () => {
    const counter = createTokenCounter('gpt-4.1', 'openai');
    const tokens = (text: string) => o200k.encode_ordinary(text).length;
    const call: Message = { type: 'assistant', parts: [{ type: 'tool-call', callId: 'c1', toolName: 'read_file', arguments: { path: 'a.ts' } }] };
    const result: Message = { type: 'tool-result', callId: 'c1', toolName: 'read_file', output: 'export {}', isError: false };
    expect(counter.countMessage(call)).toBe(MESSAGE_OVERHEAD + tokens('assistant') + TOOL_CALL_OVERHEAD + tokens('read_file') + tokens('{"path":"a.ts"}'));
    expect(counter.countMessage(result)).toBe(MESSAGE_OVERHEAD + tokens('tool') + NAME_OVERHEAD + tokens('read_file') + tokens('export {}'));
  });

  it('counts tool definitions as an estimate of at least their JSON', () => {
    const counter = createTokenCounter('gpt-4o', 'openai');
    const tool = { name: 'read_file', description: 'Reads a file.', parameters: { type: 'object', properties: { path: { type: 'string' } } } };
    expect(counter.countTools([])).toBe(0);
    expect(counter.countTools([tool])).toBeGreaterThan(o200k.encode_ordinary(JSON.stringify(tool)).length);
    expect(counter.countRequest(undefined, [], [tool])).toBe(counter.countTools([tool]) + REPLY_PRIMING_TOKENS);
  });

  it('counts a 50,000-character run of one character class in chunks, never handing BPE the whole run', () => {
    // Unchunked, tiktoken needs 2-3 seconds for each of these (BPE is quadratic in a piece's length);
    // what proves the guard is that no single encode sees more than a chunk (timings are for bench:context).
    const counter = createTokenCounter('gpt-4o', 'openai');
    const encoder = encoderFor('o200k_base');
    const original = encoder.encode_ordinary.bind(encoder);
    const lengths: number[] = [];
    const spy = jest.spyOn(encoder, 'encode_ordinary').mockImplementation((text: string) => {
      lengths.push(text.length);
      return original(text);
    });
    try {
      for (const text of ['='.repeat(50_000), ' '.repeat(50_000), 'ACGT'.repeat(12_500)]) counter.countText(text);
    } finally {
      spy.mockRestore();
    }
    expect(lengths.length).toBeGreaterThanOrEqual(3 * Math.floor(50_000 / LONG_RUN_CHARS));
    expect(Math.max(...lengths)).toBeLessThanOrEqual(LONG_RUN_CHARS);
  });

  it('never counts a chunked run below tiktoken, and not far above it', () => {
    const counter = createTokenCounter('gpt-4o', 'openai');
    for (const text of ['='.repeat(10_000), ' '.repeat(10_000), `header\n${'ACGT'.repeat(2_500)}\nfooter`]) {
      const exact = o200k.encode_ordinary(text).length;
      expect(counter.countText(text)).toBeGreaterThanOrEqual(exact);
      expect(counter.countText(text)).toBeLessThan(exact * 1.2);
    }
  });
});

describe('estimating for Anthropic and MiniMax models', () => {
  it('estimates above the cl100k count by the default factor', () => {
    const counter = createTokenCounter('claude-sonnet-4-5', 'anthropic');
    expect(counter.exact).toBe(false);
    expect(counter.encodingName).toBe('cl100k_base');
    expect(counter.factor()).toBeGreaterThanOrEqual(1.1);
    expect(counter.countText(SAMPLE)).toBe(Math.ceil(cl100k.encode_ordinary(SAMPLE).length * counter.factor()));
  });

  it('adds the tool-use system prompt when tools go over the Anthropic wire format', () => {
    const counter = createTokenCounter('MiniMax-M2', 'anthropic');
    const tool = { name: 'bash', description: 'Runs a command.', parameters: { type: 'object' } };
    expect(counter.countTools([tool])).toBeGreaterThan(346);
  });
});

describe('caching counts per message', () => {
  it('does not re-encode a message counted before, even by another counter for the same model family', () => {
    const encoder = encoderFor('o200k_base');
    const spy = jest.spyOn(encoder, 'encode_ordinary');
    try {
      const message: Message = { type: 'user', text: 'count me once, please' };
      const first = createTokenCounter('gpt-4o', 'openai').countMessage(message);
      const callsAfterFirst = spy.mock.calls.length;
      expect(callsAfterFirst).toBeGreaterThan(0);
      expect(createTokenCounter('gpt-4o', 'openai').countMessage(message)).toBe(first);
      expect(createTokenCounter('gpt-5', 'openai').countRequest(undefined, [message, message], [])).toBe(2 * first + REPLY_PRIMING_TOKENS);
      expect(spy.mock.calls.length).toBe(callsAfterFirst);
    } finally {
      spy.mockRestore();
    }
  });
});
