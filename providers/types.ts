// The one interface every model client implements, whatever its wire format.
import type { AssistantMessage, Message, Usage } from '../core/messages';
import type { ModelSpec } from '../core/model-spec';
import type { ToolSpec } from '../core/tool-spec';

export type ModelRequest = {
  spec: ModelSpec;
  /** System prompt, kept apart because Anthropic takes it outside the message list. */
  system?: string;
  /** Conversation without system messages, oldest first. */
  messages: Message[];
  tools: ToolSpec[];
  maxOutputTokens?: number;
  /** The final answer must be JSON matching this schema (each provider requests it its own way). */
  output?: { schema: Record<string, unknown> };
};

/** Incremental output while a response streams. */
export type ModelDelta =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call-delta'; index: number; callId?: string; toolName?: string; argumentsDelta: string };

export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'other';

export type ModelResponse = {
  message: AssistantMessage;
  usage: Usage;
  finishReason: FinishReason;
  /** Provider's response id, for tracing. */
  responseId?: string;
};

export type CompleteOptions = {
  /** When given, the call streams and reports each delta as it arrives. */
  onDelta?: (delta: ModelDelta) => void;
  signal?: AbortSignal;
};

export interface ModelProvider {
  /** Throws ModelCallError (core/errors) on every provider failure. */
  complete(request: ModelRequest, options?: CompleteOptions): Promise<ModelResponse>;
}
