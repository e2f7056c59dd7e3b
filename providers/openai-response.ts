// An OpenAI chat completion (whole, or assembled from a stream) as Keel's ModelResponse: reasoning
// from `reasoning_content` or a `<think>` prefix (kept with the content as received), text, tool calls, finish reason and usage.
import { z } from 'zod';
import type { AssistantPart, Usage } from '../core/messages';
import type { ModelSpec } from '../core/model-spec';
import { MalformedResponseError } from './model-call-errors';
import { splitThinkTags } from './think-tags';
import { parseToolArguments } from './tool-arguments';
import type { FinishReason, ModelResponse } from './types';

const usageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
  /** DeepSeek reports cache hits here. */
  prompt_cache_hit_tokens: z.number().nullish(),
});

const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

export const chatCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  choices: z.array(z.looseObject({
    message: z.looseObject({
      content: z.string().nullish(),
      /** DeepSeek, MiniMax and others; vLLM and Ollama name it `reasoning`. */
      reasoning_content: z.string().nullish(),
      reasoning: z.string().nullish(),
      tool_calls: z.array(toolCallSchema).nullish(),
    }),
    finish_reason: z.string().nullish(),
  })).min(1, 'no choices'),
  usage: usageSchema.nullish(),
});

export type ChatCompletionShape = z.input<typeof chatCompletionSchema>;

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  length: 'length',
  content_filter: 'content-filter',
};

export function toUsage(usage: z.infer<typeof usageSchema> | null | undefined): Usage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? usage?.prompt_cache_hit_tokens;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    ...(cached != null && { cachedInputTokens: cached }),
    ...(reasoning != null && { reasoningTokens: reasoning }),
  };
}

export function parseChatCompletion(value: unknown, spec: ModelSpec): ModelResponse {
  const parsed = chatCompletionSchema.safeParse(value);
  if (!parsed.success) {
    throw new MalformedResponseError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const { id, choices, usage } = parsed.data;
  const { message, finish_reason: finishReason } = choices[0]!;
  const split = splitThinkTags(message.content ?? '');
  const fieldReasoning = message.reasoning_content ?? message.reasoning;
  const parts: AssistantPart[] = [];
  if (fieldReasoning) parts.push({ type: 'reasoning', text: fieldReasoning, provider: 'openai' });
  // The think block stays in the content on the way back, as received (MiniMax's multi-turn rule).
  if (split.reasoning !== undefined) {
    parts.push({ type: 'reasoning', text: split.reasoning, provider: 'openai', thinkTagContent: message.content ?? '' });
  }
  if (split.text) parts.push({ type: 'text', text: split.text });
  (message.tool_calls ?? []).forEach((call, index) => {
    parts.push({
      type: 'tool-call',
      callId: call.id || `call_${index}`,
      toolName: call.function.name,
      ...parseToolArguments(call.function.arguments ?? ''),
    });
  });
  const hasToolCalls = (message.tool_calls?.length ?? 0) > 0;
  const mapped = FINISH_REASONS[finishReason ?? ''] ?? 'other';
  return {
    message: { type: 'assistant', parts, model: spec.id },
    usage: toUsage(usage),
    finishReason: hasToolCalls && mapped !== 'length' ? 'tool-calls' : mapped,
    ...(id && { responseId: id }),
  };
}
