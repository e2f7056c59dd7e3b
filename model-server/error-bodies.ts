// Error bodies shaped like each real API's, so the SDKs raise the same error classes they would
// against OpenAI or Anthropic.
import type { WireFormat } from './model-call';

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};
const OPENAI_CODES: Record<number, string> = { 401: 'invalid_api_key', 404: 'model_not_found', 429: 'rate_limit_exceeded' };

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'bad request',
  401: 'invalid API key',
  403: 'permission denied',
  404: 'not found',
  408: 'request timed out',
  409: 'conflict',
  429: 'rate limit exceeded',
};

export function defaultErrorMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? (status >= 500 ? 'internal server error' : `request failed with status ${status}`);
}

export function errorBody(wireFormat: WireFormat, status: number, message: string, errorType?: string): object {
  if (wireFormat === 'openai') {
    const type = errorType ?? OPENAI_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    return { error: { message, type, param: null, code: OPENAI_CODES[status] ?? null } };
  }
  const type = errorType ?? ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message } };
}
