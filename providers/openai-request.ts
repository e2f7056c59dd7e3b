// Keel's request as an OpenAI chat-completions body: system, user, assistant (text, tool calls,
// `reasoning_content` for DeepSeek-compatible servers, MiniMax's `<think>` content as received) and
// `tool` results; tools as functions.
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { AssistantMessage, Message, ReasoningPart, TextPart, ToolCallPart } from '../core/messages';
import { DEFAULT_MAX_OUTPUT_TOKENS } from '../core/model-spec';
import type { ToolSpec } from '../core/tool-spec';
import type { ModelRequest } from './types';
import { openAIResponseFormat } from './structured-output';

type ChatRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream'>;

// Transcript messages are immutable and re-sent every step: convert each assistant message once.
const convertedAssistantMessages = new WeakMap<AssistantMessage, ChatCompletionMessageParam>();

function assistantMessageParam(message: AssistantMessage): ChatCompletionMessageParam {
  const cached = convertedAssistantMessages.get(message);
  if (cached) return cached;
  const param = buildAssistantMessageParam(message);
  convertedAssistantMessages.set(message, param);
  return param;
}

function buildAssistantMessageParam(message: AssistantMessage): ChatCompletionMessageParam {
  const { text, reasoning } = openAIAssistantContent(message);
  const toolCalls = message.parts.filter((part): part is ToolCallPart => part.type === 'tool-call');
  const param: ChatCompletionMessageParam & { reasoning_content?: string } = {
    role: 'assistant',
    content: text || null,
    ...(toolCalls.length > 0 && {
      tool_calls: toolCalls.map((call) => ({
        id: call.callId,
        type: 'function' as const,
        function: { name: call.toolName, arguments: call.rawArguments ?? JSON.stringify(call.arguments) },
      })),
    }),
  };
  // Not in the SDK's types: DeepSeek and MiniMax-compatible servers read prior reasoning from here.
  if (reasoning) param.reasoning_content = reasoning;
  return param;
}

/**
 * The content and `reasoning_content` an assistant message goes back with. Reasoning that came as a
 * `<think>` block in the content goes back in the content exactly as received: MiniMax's
 * OpenAI-compatible API wants the whole prior reply, think block included, in later turns.
 */
export function openAIAssistantContent(message: AssistantMessage): { text: string; reasoning: string } {
  const ownReasoning = message.parts.filter((part): part is ReasoningPart => part.type === 'reasoning' && part.provider === 'openai');
  const asReceived = ownReasoning.find((part) => part.thinkTagContent !== undefined)?.thinkTagContent;
  const text = asReceived ?? message.parts.filter((part): part is TextPart => part.type === 'text').map((part) => part.text).join('');
  const reasoning = ownReasoning
    .filter((part) => part.thinkTagContent === undefined && part.text !== '')
    .map((part) => part.text)
    .join('\n');
  return { text, reasoning };
}

export function toOpenAIMessages(system: string | undefined, messages: readonly Message[]): ChatCompletionMessageParam[] {
  const params: ChatCompletionMessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of messages) {
    switch (message.type) {
      case 'system':
        params.push({ role: 'system', content: message.text });
        break;
      case 'user':
        params.push({ role: 'user', content: message.text });
        break;
      case 'assistant':
        params.push(assistantMessageParam(message));
        break;
      case 'tool-result':
        params.push({ role: 'tool', tool_call_id: message.callId, content: message.output });
        break;
    }
  }
  return params;
}

export function toOpenAITools(tools: readonly ToolSpec[]): ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}

/** OpenAI's own API wants `max_completion_tokens`; compatible servers (DeepSeek, vLLM, Ollama) know `max_tokens`. */
function isOpenAIPlatform(baseURL: string | undefined): boolean {
  if (!baseURL) return true;
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

export function toChatRequestBody(request: ModelRequest): ChatRequestBody {
  const { spec } = request;
  const maxTokens = request.maxOutputTokens ?? spec.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  return {
    model: spec.model,
    messages: toOpenAIMessages(request.system, request.messages),
    ...(request.tools.length > 0 && { tools: toOpenAITools(request.tools) }),
    ...(request.output && { response_format: openAIResponseFormat(request.output) }),
    ...(isOpenAIPlatform(spec.baseURL) ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens }),
    ...(spec.temperature !== undefined && { temperature: spec.temperature }),
  };
}
