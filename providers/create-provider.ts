// Chooses the provider for a model spec by its wire format. SDK clients are cached per
// (provider, base URL, key variable) inside the two shared provider instances.
import type { ModelSpec } from '../core/model-spec';
import { AnthropicMessagesProvider } from './anthropic-messages';
import { notConfiguredError } from './model-call-errors';
import { OpenAIChatProvider } from './openai-chat';
import type { ModelProvider } from './types';

const openaiChat = new OpenAIChatProvider();
const anthropicMessages = new AnthropicMessagesProvider();

export function createProvider(spec: ModelSpec): ModelProvider {
  switch (spec.provider) {
    case 'openai':
      return openaiChat;
    case 'anthropic':
      return anthropicMessages;
    default:
      // Configuration is data: a spec may name a provider this build does not know.
      throw notConfiguredError(spec, `unknown provider "${String(spec.provider)}"; known: openai, anthropic`);
  }
}
