// Failure type names shared by activities, workflows and the API, and the domain errors behind them.
// Names become ApplicationFailure types, so the workflow and Web UI can tell causes apart.

export const FAILURE_TYPES = {
  modelRateLimited: 'ModelRateLimited',
  modelUnavailable: 'ModelUnavailable',
  modelTimeout: 'ModelTimeout',
  modelConflict: 'ModelConflict',
  modelAuthFailed: 'ModelAuthFailed',
  modelBadRequest: 'ModelBadRequest',
  modelNotFound: 'ModelNotFound',
  modelBadResponse: 'ModelBadResponse',
  modelNotConfigured: 'ModelNotConfigured',
  /** The model's circuit is open (or its half-open trial is taken): the call was not made. */
  modelCircuitOpen: 'ModelCircuitOpen',
  /** The request plus the output allowance does not fit the model's context window: the call was not made. */
  modelContextTooSmall: 'ModelContextTooSmall',
  /** The call's estimated cost is over the run's per-call cap or what is left of its budget: the call was not made. */
  budgetExceeded: 'BudgetExceeded',
  /** No model of the pool can take the request (context, capabilities, circuits). */
  noModelFits: 'NoModelFits',
  toolRejected: 'ToolRejected',
  /** A check was asked about a step that has no final answer in the transcript. */
  answerNotFound: 'AnswerNotFound',
  /** Cross-validation could not be made: fewer than two models, or every validating model failed. */
  crossValidationFailed: 'CrossValidationFailed',
  runNotFound: 'RunNotFound',
  /** Keel's own database could not be reached: the step is tried again once it is back (not a model failure). */
  storeUnavailable: 'StoreUnavailable',
  /** A step's attempts stopped heartbeating until their retries ran out: its workers died or were starved (the workflow's name for it). */
  stepHeartbeatTimedOut: 'StepHeartbeatTimedOut',
  /** The tenant's steps already hold every slot of its `concurrentSteps` quota: nothing ran, the workflow waits and tries again. */
  tenantStepSlotsFull: 'TenantStepSlotsFull',
} as const;
export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

/** Failure types that never succeed on retry: the workflow fails fast (or moves to the next model). */
export const NON_RETRYABLE_MODEL_FAILURES: readonly FailureType[] = [
  FAILURE_TYPES.modelAuthFailed,
  FAILURE_TYPES.modelBadRequest,
  FAILURE_TYPES.modelNotFound,
  FAILURE_TYPES.modelNotConfigured,
];

/**
 * Failures that pass with time: a provider overloaded, slow, rate-limiting or answering garbage, a
 * circuit open, Keel's database away, workers dying under the step. A step whose every candidate failed only this way waits and
 * tries again rather than failing the run (a provider outage must not lose runs).
 */
export const TRANSIENT_STEP_FAILURES: readonly FailureType[] = [
  FAILURE_TYPES.modelRateLimited,
  FAILURE_TYPES.modelUnavailable,
  FAILURE_TYPES.modelTimeout,
  FAILURE_TYPES.modelConflict,
  FAILURE_TYPES.modelBadResponse,
  FAILURE_TYPES.modelCircuitOpen,
  FAILURE_TYPES.storeUnavailable,
  FAILURE_TYPES.stepHeartbeatTimedOut,
];

/** Whether every candidate of a step failed in a way that passes with time (and there was at least one). */
export function allFailuresTransient(failureTypes: ReadonlyArray<string | undefined>): boolean {
  return failureTypes.length > 0 && failureTypes.every((type) => type !== undefined && (TRANSIENT_STEP_FAILURES as readonly string[]).includes(type));
}

/**
 * Failures that say something about the model's health and count towards opening its circuit:
 * everything but a bad request (the request's fault) and refusals made before calling.
 */
export function countsAgainstCircuit(failureType: string | undefined | null): boolean {
  return failureType !== FAILURE_TYPES.modelBadRequest
    && failureType !== FAILURE_TYPES.modelCircuitOpen
    && failureType !== FAILURE_TYPES.modelContextTooSmall
    && failureType !== FAILURE_TYPES.budgetExceeded;
}

/** Thrown when a model provider call fails; carries what the retry policy needs. */
export class ModelCallError extends Error {
  constructor(
    message: string,
    readonly failureType: FailureType,
    readonly modelId: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ModelCallError';
  }
}

/** Maps an HTTP status from a provider to a failure type and retryability (408/409/429/5xx retry). */
export function classifyHttpStatus(status: number): { failureType: FailureType; retryable: boolean } {
  if (status === 429) return { failureType: FAILURE_TYPES.modelRateLimited, retryable: true };
  if (status === 408) return { failureType: FAILURE_TYPES.modelTimeout, retryable: true };
  if (status === 409) return { failureType: FAILURE_TYPES.modelConflict, retryable: true };
  if (status >= 500) return { failureType: FAILURE_TYPES.modelUnavailable, retryable: true };
  if (status === 401 || status === 403) return { failureType: FAILURE_TYPES.modelAuthFailed, retryable: false };
  if (status === 404) return { failureType: FAILURE_TYPES.modelNotFound, retryable: false };
  return { failureType: FAILURE_TYPES.modelBadRequest, retryable: false };
}

/** Parses a `retry-after` header (seconds or HTTP date) or `retry-after-ms` into milliseconds. */
export function parseRetryAfter(
  retryAfter: string | null | undefined,
  retryAfterMs?: string | null,
  now: number = Date.now(),
): number | undefined {
  if (retryAfterMs) {
    const ms = Number(retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}
