// The OpenAI chat-completions provider on the official `openai` SDK: OpenAI itself and every
// compatible server (DeepSeek, MiniMax, vLLM, Ollama, the local model server). SDK retries are
// off because Temporal retries the activity.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ModelSpec } from '../core/model-spec';
import { CallDeadline, sdkTimeoutMs } from './call-deadline';
import { ClientCache, type ClientSettings } from './client-cache';
import { IncompleteStreamError } from './model-call-errors';
import { toChatRequestBody } from './openai-request';
import { parseChatCompletion } from './openai-response';
import { OpenAIStreamAssembler } from './openai-stream';
import { toModelCallError, type SdkErrorClasses } from './sdk-errors';
import { StreamProgress } from './stream-progress';
import type { CompleteOptions, ModelProvider, ModelRequest, ModelResponse } from './types';

const OPENAI_ERRORS: SdkErrorClasses = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

export function createOpenAIClient(settings: ClientSettings): OpenAI {
  return new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseURL, maxRetries: 0 });
}

export class OpenAIChatProvider implements ModelProvider {
  constructor(private readonly clients: ClientCache<OpenAI> = new ClientCache(createOpenAIClient)) {}

  async complete(request: ModelRequest, options: CompleteOptions = {}): Promise<ModelResponse> {
    const { spec } = request;
    const progress = new StreamProgress(options.onDelta);
    const deadline = new CallDeadline(spec.timeoutMs, options.signal);
    let apiKey: string | undefined;
    try {
      const { client, apiKey: key } = this.clients.get(spec);
      apiKey = key;
      const body = toChatRequestBody(request);
      const requestOptions = { signal: deadline.signal, timeout: sdkTimeoutMs(spec), maxRetries: 0 };
      if (!progress.streaming) {
        const completion = await client.chat.completions.create({ ...body, stream: false }, requestOptions);
        return parseChatCompletion(completion, spec);
      }
      const stream = await client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        requestOptions,
      );
      return await this.readStream(stream, progress, spec);
    } catch (error) {
      throw toModelCallError(error, spec, OPENAI_ERRORS, { progress, deadline, apiKey });
    } finally {
      deadline.clear();
    }
  }

  private async readStream(stream: AsyncIterable<unknown>, progress: StreamProgress, spec: ModelSpec): Promise<ModelResponse> {
    progress.started = true;
    const assembler = new OpenAIStreamAssembler(progress);
    for await (const chunk of stream) assembler.push(chunk);
    if (!assembler.finished) throw new IncompleteStreamError('the stream ended before a finish reason');
    return parseChatCompletion(assembler.completion(), spec);
  }
}
