// Builds the ModelCallErrors every provider throws, with messages that name the model, its
// provider and the cause, and never contain the API key.
import { classifyHttpStatus, FAILURE_TYPES, ModelCallError, parseRetryAfter } from '../core/errors';
import type { ModelSpec } from '../core/model-spec';

const STATUS_CAUSES: Record<number, string> = {
  400: 'bad request',
  401: 'authentication failed',
  403: 'permission denied',
  404: 'not found',
  408: 'request timed out',
  409: 'conflict',
  413: 'request too large',
  422: 'unprocessable request',
  429: 'rate limited',
  529: 'overloaded',
};

/** `model "primary" (openai gpt-4o)`: how every message starts. */
export function describeModel(spec: ModelSpec): string {
  return `model "${spec.id}" (${spec.provider} ${spec.model})`;
}

/** Removes an API key from text that came back from a provider or the network stack. */
export function redactSecret(text: string, secret: string | undefined): string {
  return secret && secret.length >= 8 ? text.replaceAll(secret, '[redacted]') : text;
}

type HeaderReader = { get(name: string): string | null };

export function httpStatusError(spec: ModelSpec, status: number, providerMessage: string, headers?: HeaderReader): ModelCallError {
  const { failureType, retryable } = classifyHttpStatus(status);
  const cause = STATUS_CAUSES[status] ?? (status >= 500 ? 'server error' : 'request failed');
  const retryAfterMs = headers ? parseRetryAfter(headers.get('retry-after'), headers.get('retry-after-ms')) : undefined;
  return new ModelCallError(
    `${describeModel(spec)}: ${status} ${cause}: ${providerMessage}`,
    failureType,
    spec.id,
    retryable,
    status,
    retryAfterMs,
  );
}

export function timeoutError(spec: ModelSpec): ModelCallError {
  const limit = spec.timeoutMs === undefined ? '' : ` after ${spec.timeoutMs} ms`;
  return new ModelCallError(`${describeModel(spec)}: request timed out${limit}`, FAILURE_TYPES.modelTimeout, spec.id, true);
}

export function unavailableError(spec: ModelSpec, cause: string): ModelCallError {
  return new ModelCallError(`${describeModel(spec)}: ${cause}`, FAILURE_TYPES.modelUnavailable, spec.id, true);
}

export function brokenStreamError(spec: ModelSpec, deltas: number, cause: string): ModelCallError {
  return unavailableError(spec, `stream broke after ${deltas} ${deltas === 1 ? 'delta' : 'deltas'}: ${cause}`);
}

export function badResponseError(spec: ModelSpec, cause: string): ModelCallError {
  return new ModelCallError(`${describeModel(spec)}: malformed response: ${cause}`, FAILURE_TYPES.modelBadResponse, spec.id, true);
}

export function notConfiguredError(spec: ModelSpec, cause: string): ModelCallError {
  return new ModelCallError(`${describeModel(spec)}: ${cause}`, FAILURE_TYPES.modelNotConfigured, spec.id, false);
}

/** Thrown when a provider's reply parses as JSON but is not the shape the wire format promises. */
export class MalformedResponseError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'MalformedResponseError';
  }
}

/** Thrown when a stream ends before the provider said it was complete. */
export class IncompleteStreamError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'IncompleteStreamError';
  }
}
