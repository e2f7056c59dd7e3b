// Provider statuses map to retryable or final failure types; retry-after is honoured in every form.
import { allFailuresTransient, classifyHttpStatus, parseRetryAfter } from '../../../core/errors';

describe('classifying provider failures', () => {
  it.each([408, 409, 429, 500, 502, 503, 529])('retries status %i', (status) => {
    expect(classifyHttpStatus(status).retryable).toBe(true);
  });

  it.each([[400, 'ModelBadRequest'], [401, 'ModelAuthFailed'], [403, 'ModelAuthFailed'], [404, 'ModelNotFound']])('does not retry status %i (%s)', (status, type) => {
    expect(classifyHttpStatus(status)).toEqual({ failureType: type, retryable: false });
  });

  it('reads retry-after as seconds, as an HTTP date, and retry-after-ms first', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', undefined, now)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', undefined, now)).toBe(5000);
    expect(parseRetryAfter('2', '150', now)).toBe(150);
    expect(parseRetryAfter('soon', undefined, now)).toBeUndefined();
  });
});

describe('which failed steps wait for another round', () => {
  it('waits when every candidate failed transiently: 429, 5xx, timeouts, garbage, open circuits', () => {
    expect(allFailuresTransient(['ModelRateLimited', 'ModelUnavailable'])).toBe(true);
    expect(allFailuresTransient(['ModelTimeout', 'ModelBadResponse', 'ModelCircuitOpen'])).toBe(true);
    expect(allFailuresTransient(['StoreUnavailable'])).toBe(true);
  });

  it('fails at once when any candidate failed for good, when a failure has no type, or when nothing was tried', () => {
    expect(allFailuresTransient(['ModelUnavailable', 'ModelAuthFailed'])).toBe(false);
    expect(allFailuresTransient(['ModelBadRequest'])).toBe(false);
    expect(allFailuresTransient(['ModelRateLimited', undefined])).toBe(false);
    expect(allFailuresTransient(['BudgetExceeded'])).toBe(false);
    expect(allFailuresTransient([])).toBe(false);
  });
});
