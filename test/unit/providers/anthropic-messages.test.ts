// The Anthropic messages provider's wire mapping, checked on the bodies the local model server
// recorded: system apart, merged tool results, signed and redacted thinking sent back unchanged.
import type { Message, ToolCallPart } from '../../../core/messages';
import { createProvider } from '../../../providers';
import { lastBodyFor, requestFor, specFor, useModelServer } from './model-server-fixture';

const server = useModelServer([
  {
    name: 'anthropic-tools',
    models: ['an-tools-*'],
    rules: [
      {
        turn: 0,
        reply: {
          text: 'Reading both.',
          toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }, { name: 'read_file', arguments: { path: 'missing.txt' } }],
        },
      },
      { reply: { text: 'One file is missing.' } },
    ],
  },
  {
    name: 'anthropic-thinking',
    models: ['an-think-*'],
    rules: [
      { turn: 0, reply: { reasoning: 'Plan: answer briefly.', reasoningSignature: 'sig-abc123', redactedReasoning: 'opaque-blob', text: 'Brief answer.' } },
      { reply: { text: 'Second answer.' } },
    ],
  },
]);

const userAsks: Message = { type: 'user', text: 'Read a.txt and missing.txt.' };

describe('the Anthropic messages provider', () => {
  it('sends the system prompt apart and merges consecutive tool results into one user message', async () => {
    const spec = specFor(server(), 'anthropic', 'an-tools-1');
    const model = createProvider(spec);
    const first = await model.complete(requestFor(spec, [userAsks]));
    const [callA, callB] = first.message.parts.filter((part): part is ToolCallPart => part.type === 'tool-call');
    await model.complete(requestFor(spec, [
      userAsks,
      first.message,
      { type: 'tool-result', callId: callA!.callId, toolName: 'read_file', output: 'contents of a', isError: false },
      { type: 'tool-result', callId: callB!.callId, toolName: 'read_file', output: 'missing.txt does not exist.', isError: true },
    ]));
    const body = lastBodyFor(server(), 'an-tools-1');
    expect(body.system).toBe('You are a test assistant.');
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Read a.txt and missing.txt.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reading both.' },
          { type: 'tool_use', id: callA!.callId, name: 'read_file', input: { path: 'a.txt' } },
          { type: 'tool_use', id: callB!.callId, name: 'read_file', input: { path: 'missing.txt' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: callA!.callId, content: 'contents of a', is_error: false },
          { type: 'tool_result', tool_use_id: callB!.callId, content: 'missing.txt does not exist.', is_error: true },
        ],
      },
    ]);
    expect(body.tools).toEqual([expect.objectContaining({ name: 'read_file', input_schema: expect.objectContaining({ type: 'object' }) })]);
  });

  it('enables thinking with the budget and sends signed and redacted thinking back unchanged', async () => {
    const spec = specFor(server(), 'anthropic', 'an-think-1', { thinkingBudgetTokens: 2048, maxOutputTokens: 1024 });
    const model = createProvider(spec);
    const first = await model.complete(requestFor(spec, [userAsks]), { onDelta: () => undefined });
    expect(first.message.parts).toEqual([
      { type: 'reasoning', text: 'Plan: answer briefly.', signature: 'sig-abc123', provider: 'anthropic' },
      { type: 'reasoning', text: '', redactedData: 'opaque-blob', provider: 'anthropic' },
      { type: 'text', text: 'Brief answer.' },
    ]);
    const firstBody = lastBodyFor(server(), 'an-think-1');
    expect(firstBody.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(firstBody.max_tokens).toBeGreaterThan(2048);

    await model.complete(requestFor(spec, [userAsks, first.message, { type: 'user', text: 'And again?' }]));
    const messages = lastBodyFor(server(), 'an-think-1').messages as { content: unknown }[];
    expect(messages[1]!.content).toEqual([
      { type: 'thinking', thinking: 'Plan: answer briefly.', signature: 'sig-abc123' },
      { type: 'redacted_thinking', data: 'opaque-blob' },
      { type: 'text', text: 'Brief answer.' },
    ]);
  });

  it('leaves out reasoning that another provider produced', async () => {
    const spec = specFor(server(), 'anthropic', 'an-think-2');
    await createProvider(spec).complete(requestFor(spec, [
      userAsks,
      { type: 'assistant', parts: [{ type: 'reasoning', text: 'From DeepSeek.', provider: 'openai' }, { type: 'text', text: 'Earlier answer.' }] },
      { type: 'user', text: 'Go on.' },
    ]));
    const messages = lastBodyFor(server(), 'an-think-2').messages as { content: unknown }[];
    expect(messages[1]!.content).toEqual([{ type: 'text', text: 'Earlier answer.' }]);
  });
});
