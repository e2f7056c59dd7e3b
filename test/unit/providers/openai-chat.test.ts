// The OpenAI chat-completions provider's wire mapping, checked on the bodies the local model
// server recorded: message roles, tool calls, reasoning_content, <think> content sent back as
// received, invalid JSON.
import type { Message, ReasoningPart, ToolCallPart } from '../../../core/messages';
import { createProvider, type ModelDelta } from '../../../providers';
import { toChatRequestBody } from '../../../providers/openai-request';
import { parseChatCompletion } from '../../../providers/openai-response';
import { lastBodyFor, requestFor, specFor, useModelServer } from './model-server-fixture';

const server = useModelServer([
  {
    name: 'openai-mapping',
    models: ['oa-map-*'],
    rules: [
      { turn: 0, reply: { reasoning: 'Need the file first.', toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] } },
      { reply: { text: 'Done.' } },
    ],
  },
  { name: 'openai-think', models: ['oa-think-*'], rules: [{ reply: { reasoning: 'Weigh the options carefully.', reasoningFormat: 'think-tags', text: 'Option B is better.' } }] },
  { name: 'openai-invalid-json', models: ['oa-invalid-*'], rules: [{ reply: { toolCalls: [{ name: 'read_file', arguments: '{"path": "a.txt"' }] } }] },
]);

const userAsks: Message = { type: 'user', text: 'Read a.txt.' };

describe('the OpenAI chat-completions provider', () => {
  it('sends system, user, assistant tool calls with reasoning_content, and tool results in the OpenAI shape', async () => {
    const spec = specFor(server(), 'openai', 'oa-map-1');
    const model = createProvider(spec);
    const first = await model.complete(requestFor(spec, [userAsks]));
    const reasoning = first.message.parts.find((part): part is ReasoningPart => part.type === 'reasoning');
    expect(reasoning).toEqual({ type: 'reasoning', text: 'Need the file first.', provider: 'openai' });
    const call = first.message.parts.find((part): part is ToolCallPart => part.type === 'tool-call')!;

    await model.complete(requestFor(spec, [
      userAsks,
      first.message,
      { type: 'tool-result', callId: call.callId, toolName: 'read_file', output: 'contents of a', isError: false },
    ]));
    const body = lastBodyFor(server(), 'oa-map-1');
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are a test assistant.' },
      { role: 'user', content: 'Read a.txt.' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'Need the file first.',
        tool_calls: [{ id: call.callId, type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } }],
      },
      { role: 'tool', tool_call_id: call.callId, content: 'contents of a' },
    ]);
    expect(body.tools).toEqual([{ type: 'function', function: expect.objectContaining({ name: 'read_file', parameters: expect.any(Object) }) }]);
    expect(body.max_tokens).toBe(4096);
  });

  it('asks for a usage chunk when it streams', async () => {
    const spec = specFor(server(), 'openai', 'oa-map-2');
    const response = await createProvider(spec).complete(requestFor(spec, [userAsks]), { onDelta: () => undefined });
    expect(lastBodyFor(server(), 'oa-map-2')).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(response.usage.outputTokens).toBeGreaterThan(0);
  });

  it('parses a MiniMax-style <think> prefix into reasoning, streaming or not', async () => {
    const spec = specFor(server(), 'openai', 'oa-think-1');
    const model = createProvider(spec);
    const whole = await model.complete(requestFor(spec, [userAsks]));
    expect(whole.message.parts).toEqual([
      {
        type: 'reasoning',
        text: 'Weigh the options carefully.',
        provider: 'openai',
        thinkTagContent: '<think>Weigh the options carefully.</think>\n\nOption B is better.',
      },
      { type: 'text', text: 'Option B is better.' },
    ]);
    const deltas: ModelDelta[] = [];
    const streamed = await model.complete(requestFor(spec, [userAsks]), { onDelta: (delta) => deltas.push(delta) });
    expect(streamed.message).toEqual(whole.message);
    const text = deltas.map((delta) => (delta.type === 'text-delta' ? delta.text : '')).join('');
    const reasoning = deltas.map((delta) => (delta.type === 'reasoning-delta' ? delta.text : '')).join('');
    expect(text).toBe('Option B is better.');
    expect(reasoning).toBe('Weigh the options carefully.');
  });

  it('sends a MiniMax-style <think> reply back inside the assistant content exactly as received, streaming or not', async () => {
    for (const [index, options] of [{}, { onDelta: () => undefined }].entries()) {
      const model = `oa-think-replay-${index}`;
      const spec = specFor(server(), 'openai', model);
      const provider = createProvider(spec);
      const first = await provider.complete(requestFor(spec, [userAsks]), options);
      await provider.complete(requestFor(spec, [userAsks, first.message, { type: 'user', text: 'And why?' }]), options);
      const asSent = (lastBodyFor(server(), model).messages as Array<Record<string, unknown>>)[2];
      expect(asSent).toEqual({ role: 'assistant', content: '<think>Weigh the options carefully.</think>\n\nOption B is better.' });
      expect(asSent).not.toHaveProperty('reasoning_content');
    }
  });

  it('replays odd spacing around a <think> block byte for byte, not rebuilt from the split parts', () => {
    const spec = { id: 'minimax-like', provider: 'openai' as const, model: 'MiniMax-M2', baseURL: 'https://api.minimax.io/v1' };
    const content = '  <think>\n  step one\n</think>Answer.  ';
    const reply = parseChatCompletion({ choices: [{ message: { content }, finish_reason: 'stop' }] }, spec);
    expect(reply.message.parts.find((part) => part.type === 'text')).toEqual({ type: 'text', text: 'Answer.  ' });
    const body = toChatRequestBody({ spec, messages: [userAsks, reply.message], tools: [] });
    expect(body.messages[1]).toEqual({ role: 'assistant', content });
  });

  it('keeps invalid tool-call JSON as rawArguments with empty arguments, streaming or not', async () => {
    const spec = specFor(server(), 'openai', 'oa-invalid-1');
    const model = createProvider(spec);
    for (const options of [{}, { onDelta: () => undefined }]) {
      const response = await model.complete(requestFor(spec, [userAsks]), options);
      expect(response.message.parts).toEqual([
        { type: 'tool-call', callId: 'call_0_0', toolName: 'read_file', arguments: {}, rawArguments: '{"path": "a.txt"' },
      ]);
    }
  });
});
