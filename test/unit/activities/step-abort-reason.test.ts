// A step's tools stop their jobs only when the run is cancelled; an attempt the server gave up on
// (or a worker shutting down) is abandoned, so the attempt that replaces it adopts the jobs.
import { CancelledFailure } from '@temporalio/common';
import { forwardCancellation, stepAbortReason } from '../../../activities/records/step-context';
import { AttemptAbandoned, isAbandoned } from '../../../tools';

describe("a step's abort reason", () => {
  it('is the cancellation itself when the workflow asked for it', () => {
    const cancelled = new CancelledFailure('CANCELLED');
    expect(stepAbortReason(cancelled)).toBe(cancelled);
  });

  it.each(['NOT_FOUND', 'TIMED_OUT', 'WORKER_SHUTDOWN', 'PAUSED', 'RESET'])('is an abandoned attempt for %s', (reason) => {
    const abandoned = stepAbortReason(new CancelledFailure(reason));
    expect(abandoned).toBeInstanceOf(AttemptAbandoned);
    expect((abandoned as AttemptAbandoned).why).toBe(reason);
  });

  it('is forwarded to the step signal when the activity is cancelled, and not after it stops forwarding', () => {
    const activity = new AbortController();
    const step = new AbortController();
    forwardCancellation(activity.signal, step);
    activity.abort(new CancelledFailure('NOT_FOUND'));
    expect(isAbandoned(step.signal)).toBe(true);

    const later = new AbortController();
    const quiet = new AbortController();
    const stop = forwardCancellation(later.signal, quiet);
    stop();
    later.abort(new CancelledFailure('CANCELLED'));
    expect(quiet.signal.aborted).toBe(false);
  });
});
