// The transcript's shapes: provider-neutral messages and content parts, shared by the workflow,
// activities, providers and the API. Discriminated on `type`; keep them JSON-serialisable.

export type TextPart = { type: 'text'; text: string };

/** Reasoning or thinking content; `signature`/`redacted` are replayed verbatim to the provider that produced them. */
export type ReasoningPart = {
  type: 'reasoning';
  text: string;
  /** Anthropic thinking signature (must be sent back unchanged in later turns). */
  signature?: string;
  /** Anthropic redacted_thinking payload. */
  redactedData?: string;
  /** Provider kind that produced it; other providers receive it as nothing (it is theirs to ignore). */
  provider?: ProviderKind;
  /**
   * OpenAI-compatible servers that think inside the content (MiniMax's `<think>…</think>`): the whole
   * content exactly as received, sent back as the assistant content unchanged (MiniMax requires it).
   */
  thinkTagContent?: string;
};

export type ToolCallPart = {
  type: 'tool-call';
  callId: string;
  toolName: string;
  /** Parsed arguments; when the model sent invalid JSON, `{}` and `rawArguments` holds the text. */
  arguments: Record<string, unknown>;
  rawArguments?: string;
};

export type AssistantPart = TextPart | ReasoningPart | ToolCallPart;

export type SystemMessage = { type: 'system'; text: string };
export type UserMessage = { type: 'user'; text: string };
/** `model` and `usage` record which model answered and what the answer cost. */
export type AssistantMessage = { type: 'assistant'; parts: AssistantPart[]; model?: string; usage?: Usage };
export type ToolResultMessage = {
  type: 'tool-result';
  callId: string;
  toolName: string;
  /** What the model sees (possibly truncated or summarised; the full output stays in storage). */
  output: string;
  isError: boolean;
};

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolResultMessage;

export const PROVIDER_KINDS = ['openai', 'anthropic'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export type Usage = {
  inputTokens: number;
  outputTokens: number;
  /** Tokens read from a provider-side prompt cache, when reported. */
  cachedInputTokens?: number;
  reasoningTokens?: number;
};

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0),
    reasoningTokens: (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0),
  };
}

export function toolCallsOf(message: AssistantMessage): ToolCallPart[] {
  return message.parts.filter((part): part is ToolCallPart => part.type === 'tool-call');
}

export function textOf(message: AssistantMessage): string {
  return message.parts
    .filter((part): part is TextPart => part.type === 'text')
    .map((part) => part.text)
    .join('');
}
