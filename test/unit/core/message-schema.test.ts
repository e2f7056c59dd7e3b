// Transcript rows read back from the database parse with messageSchema, fields providers replay kept.
import { messageSchema } from '../../../core/message-schema';

describe('the stored message schema', () => {
  it('parses each message type and keeps a reasoning part\'s signature', () => {
    const assistant = {
      type: 'assistant', model: 'm', usage: { inputTokens: 3, outputTokens: 1 },
      parts: [{ type: 'reasoning', text: 'r', signature: 'sig', provider: 'anthropic' }, { type: 'text', text: 'hi' }, { type: 'tool-call', callId: 'c', toolName: 'bash', arguments: {}, rawArguments: '{' }],
    };
    for (const message of [{ type: 'system', text: 's' }, { type: 'user', text: 'u' }, assistant, { type: 'tool-result', callId: 'c', toolName: 'bash', output: 'o', isError: false }]) {
      expect(messageSchema.parse(message)).toEqual(message);
    }
  });

  it('rejects a message without its fields, naming them', () => {
    const parsed = messageSchema.safeParse({ type: 'tool-result', callId: 'c', toolName: 'bash', output: 'o' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['isError']);
  });
});
