// Anthropic messages replies: the JSON body and the exact SSE event sequence (message_start,
// content blocks with text/thinking/signature/input_json deltas, message_delta, message_stop).
import type { ModelCall } from './model-call';
import { jsonFragments, wordPieces, type Answer } from './scripted-answer';

type ContentBlock = Record<string, unknown> & { type: string };

function contentBlocksOf(answer: Answer): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  if (answer.reasoning !== undefined) {
    blocks.push({ type: 'thinking', thinking: answer.reasoning, signature: answer.reasoningSignature });
  }
  if (answer.redactedReasoning !== undefined) blocks.push({ type: 'redacted_thinking', data: answer.redactedReasoning });
  if (answer.text) blocks.push({ type: 'text', text: answer.text, citations: null });
  for (const toolCall of answer.toolCalls) {
    blocks.push({ type: 'tool_use', id: toolCall.id, name: toolCall.name, input: toolCall.input });
  }
  return blocks;
}

function stopReasonOf(answer: Answer): 'tool_use' | 'end_turn' {
  return answer.toolCalls.length > 0 ? 'tool_use' : 'end_turn';
}

/** Anthropic counts cache reads apart from `input_tokens`; the answer's inputTokens include them. */
function usageOf(answer: Answer, outputTokens: number) {
  return {
    input_tokens: Math.max(0, answer.usage.inputTokens - answer.usage.cachedInputTokens),
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: answer.usage.cachedInputTokens,
    output_tokens_details: answer.reasoning === undefined ? null : { thinking_tokens: answer.usage.reasoningTokens },
  };
}

function messageOf(answer: Answer, call: ModelCall, responseId: string, content: ContentBlock[], stopReason: string | null, outputTokens: number) {
  return {
    id: responseId,
    type: 'message',
    role: 'assistant',
    model: call.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: usageOf(answer, outputTokens),
  };
}

export function anthropicMessage(answer: Answer, call: ModelCall, responseId: string): object {
  return messageOf(answer, call, responseId, contentBlocksOf(answer), stopReasonOf(answer), answer.usage.outputTokens);
}

function event(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function blockEvents(block: ContentBlock, index: number, answer: Answer): string[] {
  const delta = (payload: object) => event('content_block_delta', { index, delta: payload });
  switch (block.type) {
    case 'thinking':
      return [
        event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }),
        ...wordPieces(String(block.thinking)).map((piece) => delta({ type: 'thinking_delta', thinking: piece })),
        delta({ type: 'signature_delta', signature: block.signature }),
      ];
    case 'text':
      return [
        event('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } }),
        ...wordPieces(String(block.text)).map((piece) => delta({ type: 'text_delta', text: piece })),
      ];
    case 'tool_use': {
      // Streaming sends the scripted argument text verbatim, so invalid JSON can be scripted.
      const json = answer.toolCalls.find((toolCall) => toolCall.id === block.id)?.argumentsJson ?? JSON.stringify(block.input);
      return [
        event('content_block_start', { index, content_block: { ...block, input: {} } }),
        ...jsonFragments(json).map((fragment) => delta({ type: 'input_json_delta', partial_json: fragment })),
      ];
    }
    default:
      return [event('content_block_start', { index, content_block: block })];
  }
}

/** The SSE events of a streamed reply, `message_stop` included. */
export function anthropicEvents(answer: Answer, call: ModelCall, responseId: string): string[] {
  const events = [event('message_start', { message: messageOf(answer, call, responseId, [], null, 1) })];
  contentBlocksOf(answer).forEach((block, index) => {
    events.push(...blockEvents(block, index, answer), event('content_block_stop', { index }));
  });
  events.push(
    event('message_delta', {
      delta: { stop_reason: stopReasonOf(answer), stop_sequence: null },
      usage: usageOf(answer, answer.usage.outputTokens),
    }),
    event('message_stop', {}),
  );
  return events;
}
