// Uncorrected token counts of one message or tool definition as a wire format sends it: the text the
// provider receives plus the chat overhead constants. Pure given a text counter; caching lives in the counter.
import type { AssistantMessage, Message, ProviderKind, ReasoningPart } from '../messages';
import type { ToolSpec } from '../tool-spec';
import {
  ANTHROPIC_TOOL_SYSTEM_PROMPT_TOKENS,
  MESSAGE_OVERHEAD,
  NAME_OVERHEAD,
  TOOL_CALL_OVERHEAD,
  TOOL_DEFINITION_OVERHEAD,
  TOOLS_SECTION_OVERHEAD,
  WIRE_ROLES,
} from './chat-overhead';

export type TextCounter = (text: string) => number;

/** Reasoning each wire format sends back (mirrors providers/openai-request.ts and anthropic-request.ts). */
function sentReasoning(part: ReasoningPart, wire: ProviderKind): string {
  // A `<think>` block goes back inside the content as received: counted there, not here.
  if (wire === 'openai') return part.provider === 'openai' && part.thinkTagContent === undefined ? part.text : '';
  if (part.redactedData !== undefined) return part.redactedData;
  return part.provider === 'anthropic' && part.signature ? part.text : '';
}

function thinkTagContentOf(message: AssistantMessage): string | undefined {
  for (const part of message.parts) {
    if (part.type === 'reasoning' && part.provider === 'openai' && part.thinkTagContent !== undefined) return part.thinkTagContent;
  }
  return undefined;
}

function assistantTokens(message: AssistantMessage, wire: ProviderKind, countText: TextCounter): number {
  let total = 0;
  let text = '';
  const reasoning: string[] = [];
  for (const part of message.parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning.push(sentReasoning(part, wire));
    else {
      // OpenAI replays the model's own argument text; Anthropic re-serialises the parsed input with its id.
      const argumentsText = wire === 'openai' ? (part.rawArguments ?? JSON.stringify(part.arguments)) : JSON.stringify(part.arguments);
      total += TOOL_CALL_OVERHEAD + countText(part.toolName) + countText(argumentsText) + (wire === 'anthropic' ? countText(part.callId) : 0);
    }
  }
  const sentReasoningText = reasoning.filter((piece) => piece !== '').join('\n');
  const sentText = wire === 'openai' ? (thinkTagContentOf(message) ?? text) : text;
  return total + countText(sentText) + countText(sentReasoningText);
}

export function rawMessageTokens(message: Message, wire: ProviderKind, countText: TextCounter): number {
  const envelope = MESSAGE_OVERHEAD + countText(WIRE_ROLES[message.type]);
  switch (message.type) {
    case 'system':
    case 'user':
      return envelope + countText(message.text);
    case 'assistant':
      return envelope + assistantTokens(message, wire, countText);
    case 'tool-result':
      return wire === 'openai'
        ? envelope + NAME_OVERHEAD + countText(message.toolName) + countText(message.output)
        : envelope + countText(message.callId) + countText(message.output);
  }
}

/** Estimate for every wire format: a definition counts as the JSON the provider receives. */
export function rawToolTokens(tool: ToolSpec, wire: ProviderKind, countText: TextCounter): number {
  const definition = wire === 'openai'
    ? { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }
    : { name: tool.name, description: tool.description, input_schema: { type: 'object', ...tool.parameters } };
  return TOOL_DEFINITION_OVERHEAD + countText(JSON.stringify(definition));
}

/** Once per request that sends any tools. */
export function toolsSectionTokens(wire: ProviderKind): number {
  return wire === 'openai' ? TOOLS_SECTION_OVERHEAD : ANTHROPIC_TOOL_SYSTEM_PROMPT_TOKENS;
}
