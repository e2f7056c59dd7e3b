// Keel's request as an Anthropic messages body: system apart, assistant parts as thinking /
// redacted_thinking / text / tool_use blocks, tool results merged into user messages, thinking on demand.
import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import type { AssistantMessage, Message } from '../core/messages';
import { DEFAULT_MAX_OUTPUT_TOKENS } from '../core/model-spec';
import type { ToolSpec } from '../core/tool-spec';
import type { ModelRequest } from './types';
import { anthropicOutputTool, anthropicOutputToolChoice } from './structured-output';

type MessagesRequestBody = Omit<MessageCreateParamsBase, 'stream'>;

function assistantBlocks(message: AssistantMessage): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const part of message.parts) {
    if (part.type === 'reasoning') {
      // Thinking is only valid back at Anthropic with its signature; other providers' reasoning is dropped.
      if (part.redactedData !== undefined) blocks.push({ type: 'redacted_thinking', data: part.redactedData });
      else if (part.provider === 'anthropic' && part.signature) blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
    } else if (part.type === 'text') {
      if (part.text) blocks.push({ type: 'text', text: part.text });
    } else {
      blocks.push({ type: 'tool_use', id: part.callId, name: part.toolName, input: part.arguments });
    }
  }
  return blocks;
}

/** Appends user-side blocks, merging into the previous user message (tool results then text stay one turn). */
function pushUserBlocks(params: MessageParam[], blocks: ContentBlockParam[]): void {
  const last = params.at(-1);
  if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(...blocks);
  else params.push({ role: 'user', content: blocks });
}

export function toAnthropicMessages(messages: readonly Message[]): { system: string[]; messages: MessageParam[] } {
  const system: string[] = [];
  const params: MessageParam[] = [];
  for (const message of messages) {
    switch (message.type) {
      case 'system':
        system.push(message.text);
        break;
      case 'user':
        pushUserBlocks(params, [{ type: 'text', text: message.text }]);
        break;
      case 'tool-result':
        pushUserBlocks(params, [{ type: 'tool_result', tool_use_id: message.callId, content: message.output, is_error: message.isError }]);
        break;
      case 'assistant': {
        const blocks = assistantBlocks(message);
        if (blocks.length > 0) params.push({ role: 'assistant', content: blocks });
        break;
      }
    }
  }
  return { system, messages: params };
}

export function toAnthropicTools(tools: readonly ToolSpec[]): Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { type: 'object', ...tool.parameters },
  }));
}

export function toMessagesRequestBody(request: ModelRequest): MessagesRequestBody {
  const { spec } = request;
  const converted = toAnthropicMessages(request.messages);
  const system = [request.system, ...converted.system].filter((text): text is string => Boolean(text)).join('\n\n');
  const budget = spec.thinkingBudgetTokens;
  const requested = request.maxOutputTokens ?? spec.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  // The API requires max_tokens above the thinking budget; the budget is spent before the answer.
  const maxTokens = budget !== undefined && requested <= budget ? budget + requested : requested;
  const body: MessagesRequestBody & { temperature?: number } = {
    model: spec.model,
    max_tokens: maxTokens,
    messages: converted.messages,
    ...(system && { system }),
    ...(request.tools.length > 0 && { tools: toAnthropicTools(request.tools) }),
    ...(budget !== undefined && { thinking: { type: 'enabled', budget_tokens: budget } }),
  };
  if (request.output) {
    body.tools = [...(body.tools ?? []), anthropicOutputTool(request.output)];
    body.tool_choice = anthropicOutputToolChoice(budget !== undefined);
  }
  // Not in this SDK's types; thinking requires the default temperature, so it is only sent without.
  if (spec.temperature !== undefined && budget === undefined) body.temperature = spec.temperature;
  return body;
}
