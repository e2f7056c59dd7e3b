// Both providers against the real local model server through the official SDKs: text, tool-call
// round trips, streaming, usage, templating, `times` and request recording.
import type { AssistantMessage, Message, ToolCallPart } from '../../../core/messages';
import { createProvider, type ModelDelta } from '../../../providers';
import { PROVIDERS, requestFor, specFor, useModelServer } from './model-server-fixture';

const server = useModelServer([
  { name: 'replies-plain', models: ['plain-*'], rules: [{ reply: { text: 'Hello there, friend.' } }] },
  {
    name: 'replies-tools',
    models: ['tools-*'],
    rules: [
      { turn: 0, reply: { text: 'Let me look.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] } },
      { turn: 1, reply: { text: 'The notes say hi.' } },
    ],
  },
  {
    name: 'replies-rich',
    models: ['rich-*'],
    rules: [{
      reply: {
        text: 'I will read both files now, one after the other.',
        reasoning: 'Two files are needed, so two calls in one turn.',
        toolCalls: [
          { name: 'read_file', arguments: { path: 'a.txt' } },
          { name: 'read_file', arguments: { path: 'folder/b.txt', limit: 20 } },
        ],
        usage: { inputTokens: 120, outputTokens: 30, cachedInputTokens: 100, reasoningTokens: 12 },
      },
    }],
  },
  { name: 'replies-turns', models: ['turns-*'], rules: [{ turns: { from: 0, to: 5 }, reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'notes-{{turn}}.txt' } }] } }] },
  {
    name: 'replies-times',
    models: ['times-*'],
    rules: [{ turn: 0, times: 2, fault: { status: 503 } }, { reply: { text: 'Third time lucky.' } }],
  },
]);

const prompt = (text: string): Message[] => [{ type: 'user', text }];

describe.each(PROVIDERS)('the %s provider against the local model server', (provider) => {
  it('returns a plain text reply as an assistant message with a stop finish reason', async () => {
    const spec = specFor(server(), provider, 'plain-1');
    const response = await createProvider(spec).complete(requestFor(spec, prompt('Say hello.')));
    expect(response.message).toEqual({ type: 'assistant', parts: [{ type: 'text', text: 'Hello there, friend.' }], model: spec.id });
    expect(response.finishReason).toBe('stop');
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBe(Math.ceil('Hello there, friend.'.length / 4));
    expect(response.responseId).toBeTruthy();
  });

  it('round-trips a tool call: the tool result in the next request gets the turn 1 reply', async () => {
    const spec = specFor(server(), provider, 'tools-1');
    const model = createProvider(spec);
    const first = await model.complete(requestFor(spec, prompt('Read my notes.')));
    expect(first.finishReason).toBe('tool-calls');
    const call = first.message.parts.find((part): part is ToolCallPart => part.type === 'tool-call');
    expect(call).toMatchObject({ toolName: 'read_file', arguments: { path: 'notes.txt' } });
    expect(call?.rawArguments).toBeUndefined();

    const second = await model.complete(requestFor(spec, [
      ...prompt('Read my notes.'),
      first.message,
      { type: 'tool-result', callId: call!.callId, toolName: 'read_file', output: 'hi from the notes', isError: false },
    ]));
    expect(second.message.parts).toEqual([{ type: 'text', text: 'The notes say hi.' }]);
    const recorded = server().requests({ model: 'tools-1', wireFormat: provider }).at(-1)!;
    expect(recorded.turn).toBe(1);
    expect(JSON.stringify(recorded.body)).toContain(call!.callId);
    expect(JSON.stringify(recorded.body)).toContain('hi from the notes');
  });

  it('assembles streamed deltas into the same response as a non-streaming call', async () => {
    const spec = specFor(server(), provider, 'rich-1', { thinkingBudgetTokens: 1024 });
    const model = createProvider(spec);
    const whole = await model.complete(requestFor(spec, prompt('Read a and b.')));
    const deltas: ModelDelta[] = [];
    const streamed = await model.complete(requestFor(spec, prompt('Read a and b.')), { onDelta: (delta) => deltas.push(delta) });

    expect(streamed.message).toEqual(whole.message);
    expect(streamed.finishReason).toBe('tool-calls');
    expect(streamed.usage).toEqual(whole.usage);
    const joined = (type: ModelDelta['type']) => deltas.map((delta) => (delta.type === type && 'text' in delta ? delta.text : '')).join('');
    expect(joined('text-delta')).toBe('I will read both files now, one after the other.');
    expect(joined('reasoning-delta')).toBe('Two files are needed, so two calls in one turn.');
    const argumentsOf = (index: number) => deltas
      .map((delta) => (delta.type === 'tool-call-delta' && delta.index === index ? delta.argumentsDelta : ''))
      .join('');
    expect(JSON.parse(argumentsOf(1))).toEqual({ path: 'folder/b.txt', limit: 20 });
    expect(deltas.filter((delta) => delta.type === 'text-delta').length).toBeGreaterThan(5);
    expect(deltas.find((delta) => delta.type === 'tool-call-delta' && delta.index === 0)).toMatchObject({ toolName: 'read_file' });
  });

  it('maps usage including cached and reasoning tokens', async () => {
    const spec = specFor(server(), provider, 'rich-2');
    const response = await createProvider(spec).complete(requestFor(spec, prompt('Usage please.')));
    expect(response.usage).toEqual({ inputTokens: 120, outputTokens: 30, cachedInputTokens: 100, reasoningTokens: 12 });
  });

  it('fills {{turn}} in scripted tool arguments from the conversation length', async () => {
    const spec = specFor(server(), provider, 'turns-1');
    const model = createProvider(spec);
    let messages: Message[] = prompt('Keep reading.');
    const paths: unknown[] = [];
    for (let turn = 0; turn < 3; turn += 1) {
      const response = await model.complete(requestFor(spec, messages));
      const call = response.message.parts.find((part): part is ToolCallPart => part.type === 'tool-call')!;
      paths.push(call.arguments.path);
      messages = [...messages, response.message, { type: 'tool-result', callId: call.callId, toolName: 'read_file', output: 'ok', isError: false }];
    }
    expect(paths).toEqual(['notes-0.txt', 'notes-1.txt', 'notes-2.txt']);
  });

  it('fails as scripted twice with times: 2, then answers the same conversation', async () => {
    const spec = specFor(server(), provider, 'times-1');
    const model = createProvider(spec);
    const request = requestFor(spec, prompt(`Try until it works (${provider}).`));
    await expect(model.complete(request)).rejects.toMatchObject({ failureType: 'ModelUnavailable', retryable: true, status: 503 });
    await expect(model.complete(request)).rejects.toMatchObject({ status: 503 });
    const third = await model.complete(request);
    expect((third.message as AssistantMessage).parts).toEqual([{ type: 'text', text: 'Third time lucky.' }]);
    const other = requestFor(spec, prompt(`Another conversation (${provider}).`));
    await expect(model.complete(other)).rejects.toMatchObject({ status: 503 });
  });

  it('is recorded by the server with its model, wire format, turn and rule, without credentials', async () => {
    const spec = specFor(server(), provider, 'plain-recorded', { apiKeyEnv: 'KEEL_TEST_RECORDED_KEY' });
    process.env.KEEL_TEST_RECORDED_KEY = 'sk-test-secret-value';
    try {
      await createProvider(spec).complete(requestFor(spec, prompt('Record me.')));
    } finally {
      delete process.env.KEEL_TEST_RECORDED_KEY;
    }
    const [recorded] = server().requests({ model: 'plain-recorded' });
    expect(recorded).toMatchObject({ wireFormat: provider, model: 'plain-recorded', turn: 0, scenario: 'replies-plain', ruleIndex: 0, outcome: 'reply', status: 200, stream: false });
    expect(JSON.stringify(recorded!.headers)).not.toContain('sk-test-secret-value');
    expect(recorded!.body).toMatchObject({ model: 'plain-recorded' });
    server().clearRequests();
    expect(server().requests({ model: 'plain-recorded' })).toEqual([]);
  });
});
