// What the server needs from an incoming chat request, in either wire format: model, streaming,
// the turn (assistant messages so far) and a conversation key that is stable across retries.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const WIRE_FORMATS = ['openai', 'anthropic'] as const;
export type WireFormat = (typeof WIRE_FORMATS)[number];

/** Header that names the conversation explicitly instead of hashing its opening. */
export const CONVERSATION_HEADER = 'x-model-server-conversation';

/** Text blocks; an Anthropic `tool_result` block carries its own content (a string or text blocks). */
const textBlocks = z.array(z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]).optional(),
}));
const content = z.union([z.string(), textBlocks]).nullish();
const message = z.looseObject({ role: z.string(), content });

/** The fields read from either wire format: OpenAI has `stream_options`, Anthropic a top-level `system`. */
const chatBody = z.looseObject({
  model: z.string().min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  system: z.union([z.string(), textBlocks]).nullish(),
  messages: z.array(message),
});

export type ModelCall = {
  wireFormat: WireFormat;
  model: string;
  stream: boolean;
  includeUsage: boolean;
  turn: number;
  conversationKey: string;
  firstUserText: string;
  /** The system prompt (system and developer messages, or Anthropic's `system`): rules can tell agents apart by their instructions. */
  systemText: string;
  /** Text of the request's last message (a tool result, in a tool loop): rules can react to what a tool said. */
  lastMessageText: string;
  /** Deterministic estimate of the prompt's tokens. */
  inputTokens: number;
};

/** Thrown when a chat request body is not the wire format's shape. */
export class InvalidModelCallError extends Error {
  constructor(readonly wireFormat: WireFormat, readonly issues: readonly string[]) {
    super(`invalid ${wireFormat} request: ${issues.join('; ')}`);
    this.name = 'InvalidModelCallError';
  }
}

export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

function textOf(value: z.infer<typeof content>): string {
  if (!value) return '';
  if (typeof value === 'string') return value;
  return value.map((block) => {
    if (block.type === 'text') return block.text ?? '';
    if (block.type !== 'tool_result') return '';
    if (typeof block.content === 'string') return block.content;
    return (block.content ?? []).map((inner) => inner.text ?? '').join('');
  }).join('');
}

function conversationKeyOf(explicitKey: string | undefined, system: string, firstUserText: string): string {
  if (explicitKey) return `key:${explicitKey}`;
  return createHash('sha1').update(system).update('\u0000').update(firstUserText).digest('base64url');
}

export function readModelCall(wireFormat: WireFormat, body: unknown, rawLength: number, explicitKey?: string): ModelCall {
  const parsed = chatBody.safeParse(body);
  if (!parsed.success) {
    throw new InvalidModelCallError(wireFormat, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const request = parsed.data;
  let turn = 0;
  let firstUserText: string | undefined;
  let system = textOf(request.system);
  for (const entry of request.messages) {
    if (entry.role === 'assistant') turn += 1;
    else if (entry.role === 'user' && firstUserText === undefined) firstUserText = textOf(entry.content);
    else if (entry.role === 'system' || entry.role === 'developer') system += textOf(entry.content);
  }
  return {
    wireFormat,
    model: request.model,
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
    turn,
    conversationKey: conversationKeyOf(explicitKey, system, firstUserText ?? ''),
    firstUserText: firstUserText ?? '',
    systemText: system,
    lastMessageText: textOf(request.messages.at(-1)?.content),
    inputTokens: estimateTokens(rawLength),
  };
}
