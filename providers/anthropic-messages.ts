// The Anthropic messages provider on the official `@anthropic-ai/sdk`: Anthropic itself and
// compatible endpoints (MiniMax, the local model server). SDK retries are off because Temporal
// retries the activity.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { toMessagesRequestBody } from './anthropic-request';
import { parseAnthropicMessage } from './anthropic-response';
import { AnthropicStreamAssembler } from './anthropic-stream';
import { ClientCache, type ClientSettings } from './client-cache';
import { IncompleteStreamError } from './model-call-errors';
import { completeWithSdk, type SdkCompletion } from './sdk-completion';
import { answerFromOutputTool } from './structured-output';
import type { SdkErrorClasses } from './sdk-errors';
import type { CompleteOptions, ModelProvider, ModelRequest, ModelResponse } from './types';

const ANTHROPIC_ERRORS: SdkErrorClasses = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

/** The SDK appends `/v1/messages` itself, so a base URL written OpenAI-style (`…/v1`) loses its `/v1`. */
export function anthropicBaseURL(baseURL: string | undefined): string | undefined {
  return baseURL?.replace(/\/v1\/?$/, '');
}

export function createAnthropicClient(settings: ClientSettings): Anthropic {
  return new Anthropic({ apiKey: settings.apiKey, baseURL: anthropicBaseURL(settings.baseURL), maxRetries: 0 });
}

export class AnthropicMessagesProvider implements ModelProvider {
  private readonly sdk: SdkCompletion<Anthropic, ReturnType<typeof toMessagesRequestBody>>;

  constructor(clients: ClientCache<Anthropic> = new ClientCache(createAnthropicClient)) {
    this.sdk = {
      clients,
      errors: ANTHROPIC_ERRORS,
      body: toMessagesRequestBody,
      send: async (client, body, options, spec) => parseAnthropicMessage(await client.messages.create({ ...body, stream: false }, options), spec),
      openStream: (client, body, options) => client.messages.create({ ...body, stream: true }, options),
      readStream: async (stream, progress, spec) => {
        const assembler = new AnthropicStreamAssembler(progress);
        for await (const event of stream) assembler.push(event);
        if (!assembler.finished) throw new IncompleteStreamError('the stream ended before message_stop');
        return parseAnthropicMessage(assembler.message(), spec);
      },
    };
  }

  async complete(request: ModelRequest, options: CompleteOptions = {}): Promise<ModelResponse> {
    const response = await completeWithSdk(this.sdk, request, options);
    return request.output ? answerFromOutputTool(response, request.output) : response;
  }
}
