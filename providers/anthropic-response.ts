// An Anthropic message (whole, or assembled from a stream) as Keel's ModelResponse: signed thinking,
// redacted thinking, text and tool_use blocks, the stop reason and usage.
import { z } from 'zod';
import type { AssistantPart, Usage } from '../core/messages';
import type { ModelSpec } from '../core/model-spec';
import { MalformedResponseError } from './model-call-errors';
import { parseToolArguments, toolArgumentsFromValue } from './tool-arguments';
import type { FinishReason, ModelResponse } from './types';

const blockSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().nullish() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.looseObject({
    type: z.literal('tool_use'),
    id: z.string(),
    name: z.string(),
    input: z.unknown(),
    /** Set by the stream assembler: the input JSON exactly as streamed, parsed here like OpenAI's. */
    rawInput: z.string().optional(),
  }),
]);

export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  output_tokens_details: z.looseObject({ thinking_tokens: z.number().nullish() }).nullish(),
});

export const anthropicMessageSchema = z.looseObject({
  id: z.string().nullish(),
  // Server-side tool blocks and future block types are not Keel's; they are skipped.
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});

export type AnthropicMessageShape = z.input<typeof anthropicMessageSchema>;

const STOP_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool-calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content-filter',
};

/** Keel's inputTokens count every prompt token; Anthropic reports cache reads and writes apart. */
export function toUsage(usage: z.infer<typeof anthropicUsageSchema> | null | undefined): Usage {
  const cached = usage?.cache_read_input_tokens ?? 0;
  const reasoning = usage?.output_tokens_details?.thinking_tokens;
  return {
    inputTokens: (usage?.input_tokens ?? 0) + cached + (usage?.cache_creation_input_tokens ?? 0),
    outputTokens: usage?.output_tokens ?? 0,
    ...(usage?.cache_read_input_tokens != null && { cachedInputTokens: cached }),
    ...(reasoning != null && { reasoningTokens: reasoning }),
  };
}

function toPart(block: z.infer<typeof blockSchema>): AssistantPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'thinking':
      return { type: 'reasoning', text: block.thinking, provider: 'anthropic', ...(block.signature && { signature: block.signature }) };
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: block.data, provider: 'anthropic' };
    case 'tool_use':
      return {
        type: 'tool-call',
        callId: block.id,
        toolName: block.name,
        ...(block.rawInput !== undefined ? parseToolArguments(block.rawInput) : toolArgumentsFromValue(block.input)),
      };
  }
}

export function parseAnthropicMessage(value: unknown, spec: ModelSpec): ModelResponse {
  const parsed = anthropicMessageSchema.safeParse(value);
  if (!parsed.success) {
    throw new MalformedResponseError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const parts: AssistantPart[] = [];
  for (const raw of parsed.data.content) {
    const block = blockSchema.safeParse(raw);
    if (block.success) parts.push(toPart(block.data));
    else if (['text', 'thinking', 'redacted_thinking', 'tool_use'].includes(raw.type)) {
      throw new MalformedResponseError(`invalid ${raw.type} block: ${block.error.issues[0]?.message ?? 'unknown'}`);
    }
  }
  const { id, stop_reason: stopReason, usage } = parsed.data;
  return {
    message: { type: 'assistant', parts, model: spec.id },
    usage: toUsage(usage),
    finishReason: STOP_REASONS[stopReason ?? ''] ?? 'other',
    ...(id && { responseId: id }),
  };
}
