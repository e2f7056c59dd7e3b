// Compressing large tool outputs: only results over the limit are summarised, each replaced by its
// summary and a reference to the full output; small results and other messages stay as they were.
import {
  applyToolOutputReferences,
  compressToolResults,
  createTokenCounter,
  DEFAULT_TOOL_RESULT_TOKEN_LIMIT,
  findOversizedToolResults,
  isCompressedOutput,
  referenceLine,
} from '../../../core/context';
import type { Message, ToolResultMessage } from '../../../core/messages';

const counter = createTokenCounter('gpt-4o', 'openai');
const logLines = Array.from({ length: 900 }, (_, index) => `2025-01-0${(index % 9) + 1} 12:00:${String(index % 60).padStart(2, '0')} INFO worker ${index}: task completed in ${index * 3} ms`).join('\n');
const bigOutput = logLines.slice(0, 50 * 1024);
const result = (callId: string, output: string): ToolResultMessage => ({ type: 'tool-result', callId, toolName: 'bash', output, isError: false });

const messages: Message[] = [
  { type: 'user', text: 'check the logs' },
  { type: 'assistant', parts: [{ type: 'tool-call', callId: 'big', toolName: 'bash', arguments: {} }, { type: 'tool-call', callId: 'small', toolName: 'bash', arguments: {} }] },
  result('big', bigOutput),
  result('small', 'exit 0'),
];

describe('compressing tool results', () => {
  it('replaces a 50 KB output with its summary and a reference, and leaves small ones untouched', async () => {
    expect(bigOutput.length).toBe(50 * 1024);
    const summarise = jest.fn(async (output: string) => `900 log lines, all INFO (${output.length} chars).`);
    const compressed = await compressToolResults({ messages, counter, summarise });
    expect(summarise).toHaveBeenCalledTimes(1);
    expect(summarise).toHaveBeenCalledWith(bigOutput);
    const tokens = counter.countText(bigOutput);
    expect(compressed.references).toEqual([{ callId: 'big', referenceId: 'big', tokens, summary: '900 log lines, all INFO (51200 chars).' }]);
    expect(compressed.messages[2]).toEqual(result('big', `900 log lines, all INFO (51200 chars).\n[full output: ref big, ${tokens} tokens; call read_tool_output to see it]`));
    expect(compressed.messages[0]).toBe(messages[0]);
    expect(compressed.messages[1]).toBe(messages[1]);
    expect(compressed.messages[3]).toBe(messages[3]);
    expect(counter.countMessage(compressed.messages[2]!)).toBeLessThan(DEFAULT_TOOL_RESULT_TOKEN_LIMIT);
  });

  it('does not compress an output twice', async () => {
    const summarise = jest.fn(async () => 'summary');
    const once = await compressToolResults({ messages, counter, summarise });
    const twice = await compressToolResults({ messages: once.messages, counter, summarise });
    expect(summarise).toHaveBeenCalledTimes(1);
    expect(twice.references).toEqual([]);
    expect(twice.messages).toEqual(once.messages);
    expect(isCompressedOutput((once.messages[2] as ToolResultMessage).output)).toBe(true);
  });

  it('compresses by the limit given and names the stored output by the reference chosen', async () => {
    const compressed = await compressToolResults({
      messages: [result('c1', 'one two three four five six seven eight nine ten eleven twelve')],
      counter,
      summarise: async () => 'numbers',
      limitTokens: 5,
      referenceIdOf: (message) => `run-42/${message.callId}`,
    });
    expect((compressed.messages[0] as ToolResultMessage).output).toBe(`numbers\n${referenceLine('run-42/c1', 12)}`);
  });

  it('finds oversized results without changing anything, and applies references purely', () => {
    const before = JSON.stringify(messages);
    const found = findOversizedToolResults(messages, counter);
    expect(found.map(({ index, tokens }) => ({ index, tokens }))).toEqual([{ index: 2, tokens: counter.countText(bigOutput) }]);
    const applied = applyToolOutputReferences(messages, [{ callId: 'big', referenceId: 'r1', tokens: 9000, summary: 's' }]);
    expect((applied[2] as ToolResultMessage).output).toBe(`s\n${referenceLine('r1', 9000)}`);
    expect(JSON.stringify(messages)).toBe(before);
  });

  it('says the full output is stored but not readable when the run has no read_tool_output', async () => {
    const summarise = async () => 'a summary';
    const without = await compressToolResults({ messages, counter, summarise, toolNames: ['bash'] });
    const output = (without.messages[2] as ToolResultMessage).output;
    expect(output).toMatch(/^a summary\n\[full output: ref big, \d+ tokens; stored, but not readable in this run\]$/);
    expect(output).not.toContain('read_tool_output');
    expect(isCompressedOutput(output)).toBe(true);
    const withTool = await compressToolResults({ messages, counter, summarise, toolNames: ['bash', 'read_tool_output'] });
    expect((withTool.messages[2] as ToolResultMessage).output).toContain('call read_tool_output to see it');
  });
});
