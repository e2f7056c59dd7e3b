// The OpenAI chat-completions provider on the official `openai` SDK: OpenAI itself and every
// compatible server (DeepSeek, MiniMax, vLLM, Ollama, the local model server). SDK retries are
// off because Temporal retries the activity.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ClientCache, type ClientSettings } from './client-cache';
import { IncompleteStreamError } from './model-call-errors';
import { toChatRequestBody } from './openai-request';
import { parseChatCompletion } from './openai-response';
import { OpenAIStreamAssembler } from './openai-stream';
import { completeWithSdk, type SdkCompletion } from './sdk-completion';
import type { SdkErrorClasses } from './sdk-errors';
import type { CompleteOptions, ModelProvider, ModelRequest, ModelResponse } from './types';

const OPENAI_ERRORS: SdkErrorClasses = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

export function createOpenAIClient(settings: ClientSettings): OpenAI {
  return new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseURL, maxRetries: 0 });
}

export class OpenAIChatProvider implements ModelProvider {
  private readonly sdk: SdkCompletion<OpenAI, ReturnType<typeof toChatRequestBody>>;

  constructor(clients: ClientCache<OpenAI> = new ClientCache(createOpenAIClient)) {
    this.sdk = {
      clients,
      errors: OPENAI_ERRORS,
      body: toChatRequestBody,
      send: async (client, body, options, spec) => parseChatCompletion(await client.chat.completions.create({ ...body, stream: false }, options), spec),
      openStream: (client, body, options) => client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, options),
      readStream: async (stream, progress, spec) => {
        const assembler = new OpenAIStreamAssembler(progress);
        for await (const chunk of stream) assembler.push(chunk);
        if (!assembler.finished) throw new IncompleteStreamError('the stream ended before a finish reason');
        return parseChatCompletion(assembler.completion(), spec);
      },
    };
  }

  complete(request: ModelRequest, options: CompleteOptions = {}): Promise<ModelResponse> {
    return completeWithSdk(this.sdk, request, options);
  }
}
