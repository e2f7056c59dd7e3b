// A step that failed because Keel's database is out of reach becomes a typed StoreUnavailable
// failure, so the workflow waits for the database instead of counting it against the model.
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES } from '../core/errors';
import { isStoreUnavailable } from '../stores/store-unavailable';

/** The step's failure as Temporal should see it: a database outage becomes a typed, retryable StoreUnavailable. */
export function asStoreFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure || !isStoreUnavailable(error)) return error;
  return ApplicationFailure.create({ message: `Keel's database is unreachable: ${(error as Error).message}`.slice(0, 1000), type: FAILURE_TYPES.storeUnavailable, cause: error as Error });
}
