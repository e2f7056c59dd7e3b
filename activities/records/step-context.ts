// What a step needs from the activity running it, passed explicitly so the same work can start in
// a local activity and be adopted by a regular one (heartbeats and cancellation are re-pointed).
import { Context } from '@temporalio/activity';
import { AttemptAbandoned } from '../../tools/attempt-abandoned';

export type StepContext = {
  /** Liveness signal while the step streams or waits on a tool. */
  heartbeat(): void;
  /** Aborted when the step is cancelled (the run's cancel) or this attempt is abandoned (reason AttemptAbandoned). */
  signal: AbortSignal;
  /** Attempt number of the activity running the step (1 on the first try). */
  attempt: number;
};

/** The context of a regular activity: Temporal heartbeats and cancellation. */
export function activityStepContext(): StepContext {
  const context = Context.current();
  const controller = new AbortController();
  forwardCancellation(context.cancellationSignal, controller);
  return { heartbeat: () => context.heartbeat(), signal: controller.signal, attempt: context.info.attempt };
}

/**
 * What a step's abort reason is, from the activity's cancellation: the workflow asked
 * (`CANCELLED`: the run's cancel, stop the call's jobs), or this attempt is no longer the live one
 * (`NOT_FOUND`, `TIMED_OUT`: the server gave up on it and retries elsewhere; `WORKER_SHUTDOWN`,
 * `PAUSED`, `RESET`): an AttemptAbandoned, so tools leave their jobs for the next attempt and no
 * made-up "cancelled" result is recorded for it.
 */
export function stepAbortReason(activityReason: unknown): unknown {
  const reason = activityReason instanceof Error ? activityReason.message : String(activityReason);
  return reason === 'CANCELLED' ? activityReason : new AttemptAbandoned(reason);
}

/** Aborts `controller` when the activity is cancelled, with the step's reading of why. */
export function forwardCancellation(activitySignal: AbortSignal, controller: AbortController): () => void {
  const onAbort = () => controller.abort(stepAbortReason(activitySignal.reason));
  if (activitySignal.aborted) onAbort();
  else activitySignal.addEventListener('abort', onAbort, { once: true });
  return () => activitySignal.removeEventListener('abort', onAbort);
}
