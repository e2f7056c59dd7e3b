// Turns whatever an official SDK call threw into a ModelCallError. Both SDKs share one error
// hierarchy shape (APIError with status and headers, connection, timeout, user abort).
import { ModelCallError } from '../core/errors';
import type { ModelSpec } from '../core/model-spec';
import {
  badResponseError,
  brokenStreamError,
  httpStatusError,
  IncompleteStreamError,
  MalformedResponseError,
  redactSecret,
  timeoutError,
  unavailableError,
} from './model-call-errors';
import type { CallDeadline } from './call-deadline';
import { DeltaCallbackError, type StreamProgress } from './stream-progress';

type ErrorClass = abstract new (...parameters: never[]) => Error;

export type SdkErrorClasses = {
  APIError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIUserAbortError: ErrorClass;
};

type ApiErrorFields = { status?: number; headers?: { get(name: string): string | null }; error?: unknown };

/** The provider's own words: OpenAI's `error.message`, Anthropic's body `error.message`, else the SDK's. */
function providerMessageOf(error: Error & ApiErrorFields): string {
  const body = error.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  if (typeof body?.message === 'string') return body.message;
  if (typeof body?.error?.message === 'string') return body.error.message;
  return error.message;
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

/** Duck-typed, since errors raised inside fetch may come from another realm than this module's Error. */
function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}

function causeOf(error: unknown): string {
  const message = messageOf(error);
  const inner = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const innerMessage = inner === undefined ? undefined : messageOf(inner);
  return innerMessage && innerMessage !== message && innerMessage !== '[object Object]' ? `${message} (${innerMessage})` : message;
}

export type CallState = { progress: StreamProgress; deadline: CallDeadline; apiKey?: string };

/** Returns the error to throw: a ModelCallError, or the caller's own `onDelta` failure unchanged. */
export function toModelCallError(error: unknown, spec: ModelSpec, sdk: SdkErrorClasses, state: CallState): unknown {
  if (error instanceof DeltaCallbackError) return error.cause;
  if (error instanceof ModelCallError) return error;
  const { apiKey } = state;
  const converted = convert(error, spec, sdk, state);
  if (apiKey && converted.message.includes(apiKey)) {
    return new ModelCallError(
      redactSecret(converted.message, apiKey),
      converted.failureType,
      converted.modelId,
      converted.retryable,
      converted.status,
      converted.retryAfterMs,
    );
  }
  return converted;
}

function convert(error: unknown, spec: ModelSpec, sdk: SdkErrorClasses, { progress, deadline }: CallState): ModelCallError {
  if (deadline.expired || error instanceof sdk.APIConnectionTimeoutError) return timeoutError(spec);
  if (deadline.cancelled || error instanceof sdk.APIUserAbortError) return unavailableError(spec, 'call was cancelled');
  // By name: fetch parses bodies in its own realm, so its SyntaxError is not always this realm's.
  if (error instanceof MalformedResponseError || isNamed(error, 'SyntaxError')) return badResponseError(spec, messageOf(error));
  if (error instanceof IncompleteStreamError) return brokenStreamError(spec, progress.deltas, error.message);
  if (error instanceof sdk.APIError && !(error instanceof sdk.APIConnectionError)) {
    const fields = error as Error & ApiErrorFields;
    if (typeof fields.status === 'number') return httpStatusError(spec, fields.status, providerMessageOf(fields), fields.headers);
    return unavailableError(spec, `provider reported an error: ${providerMessageOf(fields)}`);
  }
  if (progress.started) return brokenStreamError(spec, progress.deltas, causeOf(error));
  if (error instanceof sdk.APIConnectionError) return unavailableError(spec, `connection failed: ${causeOf(error)}`);
  return unavailableError(spec, `request failed: ${causeOf(error)}`);
}
