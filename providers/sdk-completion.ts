// The template both providers' complete() follow on their official SDK: one deadline over the
// whole call (stream included), the cached client, a plain or a streamed request, and every
// failure mapped to a typed ModelCallError. A provider supplies only what differs: its body, its
// two requests and how its stream is assembled.
import type { ModelSpec } from '../core/model-spec';
import { CallDeadline, sdkTimeoutMs } from './call-deadline';
import type { ClientCache } from './client-cache';
import { toModelCallError, type SdkErrorClasses } from './sdk-errors';
import { StreamProgress } from './stream-progress';
import type { CompleteOptions, ModelRequest, ModelResponse } from './types';

/** Options every request of a call passes to the SDK (its own retries off: Temporal retries the activity). */
export type SdkRequestOptions = { signal: AbortSignal | undefined; timeout: number; maxRetries: 0 };

export type SdkCompletion<Client, Body> = {
  clients: ClientCache<Client>;
  errors: SdkErrorClasses;
  body(request: ModelRequest): Body;
  /** The non-streaming request, parsed. */
  send(client: Client, body: Body, options: SdkRequestOptions, spec: ModelSpec): Promise<ModelResponse>;
  /** The streaming request's events. */
  openStream(client: Client, body: Body, options: SdkRequestOptions): Promise<AsyncIterable<unknown>>;
  /** The streamed events assembled into a response; throws when the stream ends unfinished. */
  readStream(stream: AsyncIterable<unknown>, progress: StreamProgress, spec: ModelSpec): Promise<ModelResponse>;
};

export async function completeWithSdk<Client, Body>(sdk: SdkCompletion<Client, Body>, request: ModelRequest, options: CompleteOptions): Promise<ModelResponse> {
  const { spec } = request;
  const progress = new StreamProgress(options.onDelta);
  const deadline = new CallDeadline(spec.timeoutMs, options.signal);
  let apiKey: string | undefined;
  try {
    const { client, apiKey: key } = sdk.clients.get(spec);
    apiKey = key;
    const body = sdk.body(request);
    const requestOptions: SdkRequestOptions = { signal: deadline.signal, timeout: sdkTimeoutMs(spec), maxRetries: 0 };
    if (!progress.streaming) return await sdk.send(client, body, requestOptions, spec);
    const stream = await sdk.openStream(client, body, requestOptions);
    progress.started = true;
    return await sdk.readStream(stream, progress, spec);
  } catch (error) {
    throw toModelCallError(error, spec, sdk.errors, { progress, deadline, apiKey });
  } finally {
    deadline.clear();
  }
}
