// The Anthropic messages provider on the official `@anthropic-ai/sdk`: Anthropic itself and
// compatible endpoints (MiniMax, the local model server). SDK retries are off because Temporal
// retries the activity.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ModelSpec } from '../core/model-spec';
import { toMessagesRequestBody } from './anthropic-request';
import { parseAnthropicMessage } from './anthropic-response';
import { AnthropicStreamAssembler } from './anthropic-stream';
import { CallDeadline, sdkTimeoutMs } from './call-deadline';
import { ClientCache, type ClientSettings } from './client-cache';
import { IncompleteStreamError } from './model-call-errors';
import { toModelCallError, type SdkErrorClasses } from './sdk-errors';
import { StreamProgress } from './stream-progress';
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
  constructor(private readonly clients: ClientCache<Anthropic> = new ClientCache(createAnthropicClient)) {}

  async complete(request: ModelRequest, options: CompleteOptions = {}): Promise<ModelResponse> {
    const { spec } = request;
    const progress = new StreamProgress(options.onDelta);
    const deadline = new CallDeadline(spec.timeoutMs, options.signal);
    let apiKey: string | undefined;
    try {
      const { client, apiKey: key } = this.clients.get(spec);
      apiKey = key;
      const body = toMessagesRequestBody(request);
      const requestOptions = { signal: deadline.signal, timeout: sdkTimeoutMs(spec), maxRetries: 0 };
      if (!progress.streaming) {
        const message = await client.messages.create({ ...body, stream: false }, requestOptions);
        return parseAnthropicMessage(message, spec);
      }
      const stream = await client.messages.create({ ...body, stream: true }, requestOptions);
      return await this.readStream(stream, progress, spec);
    } catch (error) {
      throw toModelCallError(error, spec, ANTHROPIC_ERRORS, { progress, deadline, apiKey });
    } finally {
      deadline.clear();
    }
  }

  private async readStream(stream: AsyncIterable<unknown>, progress: StreamProgress, spec: ModelSpec): Promise<ModelResponse> {
    progress.started = true;
    const assembler = new AnthropicStreamAssembler(progress);
    for await (const event of stream) assembler.push(event);
    if (!assembler.finished) throw new IncompleteStreamError('the stream ended before message_stop');
    return parseAnthropicMessage(assembler.message(), spec);
  }
}
