// What a step needs from the activity running it, passed explicitly so the same work can start in
// a local activity and be adopted by a regular one (heartbeats and cancellation are re-pointed).
import { Context } from '@temporalio/activity';

export type StepContext = {
  /** Liveness signal while the step streams or waits on a tool. */
  heartbeat(): void;
  /** Aborted when the step is cancelled (the run's cancel, or an abandoned promotion). */
  signal: AbortSignal;
  /** Attempt number of the activity running the step (1 on the first try). */
  attempt: number;
};

/** The context of a regular activity: Temporal heartbeats and cancellation. */
export function activityStepContext(): StepContext {
  const context = Context.current();
  return { heartbeat: () => context.heartbeat(), signal: context.cancellationSignal, attempt: context.info.attempt };
}
