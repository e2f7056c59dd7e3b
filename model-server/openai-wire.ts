// OpenAI chat-completions replies: the JSON body and the SSE chunk sequence, with tool calls,
// DeepSeek-style `reasoning_content` (or MiniMax-style `<think>` content) and usage.
import type { ModelCall } from './model-call';
import { jsonFragments, wordPieces, type Answer } from './scripted-answer';

export const OPENAI_DONE_EVENT = 'data: [DONE]\n\n';

function usageOf(answer: Answer) {
  const { inputTokens, outputTokens, cachedInputTokens, reasoningTokens } = answer.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
    prompt_tokens_details: { cached_tokens: cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
}

function finishReasonOf(answer: Answer): 'tool_calls' | 'stop' {
  return answer.toolCalls.length > 0 ? 'tool_calls' : 'stop';
}

function contentOf(answer: Answer): string {
  if (answer.reasoning !== undefined && answer.reasoningFormat === 'think-tags') {
    return `<think>${answer.reasoning}</think>\n\n${answer.text}`;
  }
  return answer.text;
}

function reasoningFieldOf(answer: Answer): string | undefined {
  return answer.reasoningFormat === 'field' ? answer.reasoning : undefined;
}

export function openaiCompletion(answer: Answer, call: ModelCall, responseId: string, created: number): object {
  const content = contentOf(answer);
  const reasoning = reasoningFieldOf(answer);
  const message: Record<string, unknown> = { role: 'assistant', content: content || null, refusal: null };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((toolCall) => ({
      id: toolCall.id,
      type: 'function',
      function: { name: toolCall.name, arguments: toolCall.argumentsJson },
    }));
  }
  return {
    id: responseId,
    object: 'chat.completion',
    created,
    model: call.model,
    choices: [{ index: 0, message, finish_reason: finishReasonOf(answer), logprobs: null }],
    usage: usageOf(answer),
  };
}

/** The SSE events of a streamed reply, `[DONE]` included. */
export function openaiChunkEvents(answer: Answer, call: ModelCall, responseId: string, created: number): string[] {
  const chunk = (delta: object, finishReason: string | null = null) =>
    `data: ${JSON.stringify({
      id: responseId,
      object: 'chat.completion.chunk',
      created,
      model: call.model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    })}\n\n`;
  const events = [chunk({ role: 'assistant', content: '' })];
  const reasoning = reasoningFieldOf(answer);
  if (reasoning !== undefined) for (const piece of wordPieces(reasoning)) events.push(chunk({ reasoning_content: piece }));
  for (const piece of wordPieces(contentOf(answer))) events.push(chunk({ content: piece }));
  answer.toolCalls.forEach((toolCall, index) => {
    events.push(chunk({ tool_calls: [{ index, id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: '' } }] }));
    for (const fragment of jsonFragments(toolCall.argumentsJson)) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  events.push(chunk({}, finishReasonOf(answer)));
  if (call.includeUsage) {
    events.push(`data: ${JSON.stringify({ id: responseId, object: 'chat.completion.chunk', created, model: call.model, choices: [], usage: usageOf(answer) })}\n\n`);
  }
  events.push(OPENAI_DONE_EVENT);
  return events;
}
