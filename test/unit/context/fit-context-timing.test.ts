// Measures fitting a ~200k-token transcript: cold (every message encoded) and again after one more
// message (only that one is). Prints the numbers; asserts only correctness, never timing.
import { createTokenCounter, fitContext, type TokenCounter } from '../../../core/context';
import type { Message } from '../../../core/messages';

const TARGET_TOKENS = 200_000;

function transcript(counter: TokenCounter): Message[] {
  const messages: Message[] = [{ type: 'system', text: 'You are Keel, a durable agent. Use tools to inspect and change the repository.' }];
  for (let turn = 0; counter.countRequest(undefined, messages, []) < TARGET_TOKENS; turn += 1) {
    const lines = Array.from({ length: 40 }, (_, line) => `src/module-${turn}/file-${line}.ts:${line * 7}: export function handler${line}(input: Input${turn}) { return input.value * ${line}; }`);
    messages.push(
      { type: 'user', text: `Step ${turn}: look at module ${turn} and tell me which handlers multiply by more than ${turn % 13}.` },
      { type: 'assistant', parts: [{ type: 'text', text: `Searching module ${turn}.` }, { type: 'tool-call', callId: `call-${turn}`, toolName: 'grep', arguments: { pattern: 'export function', path: `src/module-${turn}` } }] },
      { type: 'tool-result', callId: `call-${turn}`, toolName: 'grep', output: lines.join('\n'), isError: false },
      { type: 'assistant', parts: [{ type: 'text', text: `Module ${turn} has ${40 - (turn % 13)} such handlers; the largest multiplier is ${39 * 1}.` }] },
    );
  }
  return messages;
}

function timed<T>(action: () => T): { value: T; milliseconds: number } {
  const started = performance.now();
  const value = action();
  return { value, milliseconds: Math.round((performance.now() - started) * 10) / 10 };
}

describe('fitting a long transcript', () => {
  it('fits a ~200k-token transcript cold and then incrementally, and reports how long each took', () => {
    const report: string[] = [];
    for (const [model, provider] of [['gpt-4o', 'openai'], ['claude-sonnet-4-5', 'anthropic']] as const) {
      // Built with a throwaway counter for another encoding so that the measured counter starts cold.
      const messages = transcript(createTokenCounter('gpt-4', 'openai'));
      const counter = createTokenCounter(model, provider);
      // Loading the encoding happens once per process; it is reported apart from fitting.
      const load = timed(() => counter.countText('warm up'));
      const options = { counter, contextWindow: 128_000, reservedOutputTokens: 8_192 };
      const cold = timed(() => fitContext({ ...options, messages }));
      const longer = [...messages, { type: 'user', text: 'One more question: which module is largest?' } satisfies Message];
      const incremental = timed(() => fitContext({ ...options, messages: longer }));
      const repeated = timed(() => fitContext({ ...options, messages: longer }));
      expect(incremental.value.totalTokens).toBeLessThanOrEqual(128_000 - 8_192);
      expect(incremental.value.messages.at(-1)).toBe(longer.at(-1));
      report.push(
        `${model}: ${messages.length} messages, ${counter.countRequest(undefined, messages, [])} tokens -> kept ${incremental.value.messages.length} (${incremental.value.totalTokens} tokens); ` +
          `encoding load ${load.milliseconds} ms, cold ${cold.milliseconds} ms, +1 message ${incremental.milliseconds} ms, unchanged ${repeated.milliseconds} ms`,
      );
    }
    console.log(`fitContext timing\n${report.join('\n')}`);
  });
});
