// A database out of reach is told apart from other failures, through drizzle's wrapping.
import { ApplicationFailure } from '@temporalio/common';
import { asStoreFailure } from '../../../activities/store-unavailable';
import { isStoreUnavailable } from '../../../stores/store-unavailable';

describe('a database that cannot be reached', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const wrapped = Object.assign(new Error('Failed query: select 1'), { cause: refused });

  it('is recognised directly, inside drizzle errors and by pg messages', () => {
    expect(isStoreUnavailable(refused)).toBe(true);
    expect(isStoreUnavailable(wrapped)).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(new AggregateError([refused], 'all attempts failed'))).toBe(true);
  });

  it('is not confused with a query error or a model failure', () => {
    expect(isStoreUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isStoreUnavailable(new Error('model "x": 500 server error'))).toBe(false);
  });

  it('becomes a retryable StoreUnavailable failure; other failures pass through unchanged', () => {
    const failure = asStoreFailure(wrapped) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'StoreUnavailable', nonRetryable: false });
    const model = ApplicationFailure.create({ message: 'rate limited', type: 'ModelRateLimited' });
    expect(asStoreFailure(model)).toBe(model);
    const other = new Error('boom');
    expect(asStoreFailure(other)).toBe(other);
  });
});
