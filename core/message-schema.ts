// The schema of a transcript message read back from the database (core/messages.ts has the types
// the workflow shares, without zod). Loose objects: a field an earlier or newer version wrote on a
// message or part passes through, since providers replay some of them verbatim.
import { z } from 'zod';
import { PROVIDER_KINDS, type Message } from './messages';

const usageSchema = z.looseObject({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number().optional(),
  reasoningTokens: z.number().optional(),
});

const assistantPartSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({
    type: z.literal('reasoning'),
    text: z.string(),
    signature: z.string().optional(),
    redactedData: z.string().optional(),
    provider: z.enum(PROVIDER_KINDS).optional(),
    thinkTagContent: z.string().optional(),
  }),
  z.looseObject({ type: z.literal('tool-call'), callId: z.string(), toolName: z.string(), arguments: z.record(z.string(), z.unknown()), rawArguments: z.string().optional() }),
]);

export const messageSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('system'), text: z.string() }),
  z.looseObject({ type: z.literal('user'), text: z.string() }),
  z.looseObject({ type: z.literal('assistant'), parts: z.array(assistantPartSchema), model: z.string().optional(), usage: usageSchema.optional() }),
  z.looseObject({ type: z.literal('tool-result'), callId: z.string(), toolName: z.string(), output: z.string(), isError: z.boolean() }),
]) satisfies z.ZodType<Message>;
