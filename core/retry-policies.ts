// Named retry policies for Keel's activities (pure data, safe to import from workflows).
import type { RetryPolicy } from '@temporalio/common';
import { NON_RETRYABLE_MODEL_FAILURES } from './errors';

/** One step on one model: 500 twice then success still completes; auth errors never retry. */
export const MODEL_STEP_RETRY: RetryPolicy = {
  initialInterval: '500ms',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 4,
  nonRetryableErrorTypes: [...NON_RETRYABLE_MODEL_FAILURES],
};

/** Bookkeeping writes (run outcome): cheap and idempotent, so retry generously. */
export const BOOKKEEPING_RETRY: RetryPolicy = {
  initialInterval: '200ms',
  backoffCoefficient: 2,
  maximumInterval: '10s',
  maximumAttempts: 20,
};

/** Answer checks (reflection, cross-validation): a few tries, then the run decides without them. */
export const CHECK_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 3,
  nonRetryableErrorTypes: [...NON_RETRYABLE_MODEL_FAILURES, 'AnswerNotFound', 'CrossValidationFailed'],
};

/** Attempts of a run's scoring (evals); on the last one a judge that still fails is a failing score (activities/checks/run-scoring.ts). */
export const SCORING_ATTEMPTS = 3;

/** Scoring a finished run: a few tries of the judge, then its scores stand without it. */
export const SCORING_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '20s',
  maximumAttempts: SCORING_ATTEMPTS,
  nonRetryableErrorTypes: ['AnswerNotFound'],
};
