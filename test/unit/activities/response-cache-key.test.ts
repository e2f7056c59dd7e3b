// The response cache's key: the same request as sent gives the same key, whatever the transcript's
// bookkeeping (usage, model names on replies); the tenant, the model's settings, the messages, the
// tools and the output schema each change it.
import type { Message } from '../../../core/messages';
import type { ModelSpec } from '../../../core/model-spec';
import { responseCacheKey } from '../../../activities/model-turn/response-cache';

const spec: ModelSpec = { id: 'cold/m', provider: 'openai', model: 'm', baseURL: 'http://127.0.0.1:4010/v1', temperature: 0 };
const transcript: Message[] = [
  { type: 'system', text: 'Be brief.' },
  { type: 'user', text: 'Write hello.' },
  { type: 'assistant', parts: [{ type: 'tool-call', callId: 'call_0_0', toolName: 'write_file', arguments: { path: 'a', content: 'hello' } }], model: 'cold/m', usage: { inputTokens: 40, outputTokens: 9 } },
  { type: 'tool-result', callId: 'call_0_0', toolName: 'write_file', output: 'wrote 5 bytes', isError: false },
];
const tools = [{ name: 'write_file', description: 'Writes a file', parameters: { type: 'object' } }];
const base = { tenantId: 'ta', spec, transcript, tools };

describe('the response cache key', () => {
  it('is the same for the same request, whatever usage or model the transcript recorded on replies', () => {
    const cachedReply: Message = { type: 'assistant', parts: [{ type: 'tool-call', callId: 'call_0_0', toolName: 'write_file', arguments: { content: 'hello', path: 'a' } }], model: 'cold/m', usage: { inputTokens: 0, outputTokens: 0 } };
    expect(responseCacheKey(base)).toBe(responseCacheKey({ ...base, transcript: [transcript[0]!, transcript[1]!, cachedReply, transcript[3]!] }));
  });

  it('starts with the tenant and differs between tenants', () => {
    expect(responseCacheKey(base)).toMatch(/^ta:[0-9a-f]{64}$/);
    expect(responseCacheKey({ ...base, tenantId: 'tb' })).not.toBe(responseCacheKey(base).replace(/^ta:/, 'tb:'));
  });

  it('changes with the model, its settings, the messages, the tools and the output schema', () => {
    const key = responseCacheKey(base);
    const variants = [
      { ...base, spec: { ...spec, model: 'other' } },
      { ...base, spec: { ...spec, maxOutputTokens: 100 } },
      { ...base, transcript: [...transcript.slice(0, 1), { type: 'user' as const, text: 'Write hi.' }, ...transcript.slice(2)] },
      { ...base, transcript: transcript.slice(1) },
      { ...base, tools: [] },
      { ...base, output: { schema: { type: 'object' } } },
    ];
    for (const variant of variants) expect(responseCacheKey(variant)).not.toBe(key);
  });
});
