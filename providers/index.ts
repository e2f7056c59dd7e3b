// Model providers: one ModelProvider per wire format, on the official SDKs.
export { createProvider } from './create-provider';
export { OpenAIChatProvider, createOpenAIClient } from './openai-chat';
export { AnthropicMessagesProvider, createAnthropicClient, anthropicBaseURL } from './anthropic-messages';
export { ClientCache, MAX_CACHED_CLIENTS } from './client-cache';
export type { ClientSettings } from './client-cache';
export { LOCAL_API_KEY_PLACEHOLDER, resolveApiKey } from './api-key';
export { describeModel } from './model-call-errors';
export type { CompleteOptions, FinishReason, ModelDelta, ModelProvider, ModelRequest, ModelResponse } from './types';
