// Runs steps local-first: a step starts as a local activity (no server round trip); if it is still
// working after `promoteAfterMs`, the local activity returns `promoted` and leaves the work running
// here, and the regular `runStep` activity the workflow schedules next (eagerly, so on this worker)
// adopts it: from then on the step heartbeats, is cancellable and visible like any activity.
// Work that nobody adopts is aborted; every write in a step is keyed, so redoing it is safe.
import { Context, heartbeat } from '@temporalio/activity';
import type { StepContext } from '../records/step-context';
import { activityStepContext, forwardCancellation } from '../records/step-context';
import { AttemptAbandoned } from '../../tools/attempt-abandoned';
import type { LocalStepResult, StepInput, StepOutput } from '../contract';

export const DEFAULT_PROMOTE_AFTER_MS = 300;
export const ADOPTION_TIMEOUT_MS = 15_000;
const ADOPTED_HEARTBEAT_MS = 1000;

type InFlightStep = {
  work: Promise<StepOutput>;
  controller: AbortController;
  heartbeatTarget: { current: () => void };
  abandonTimer: NodeJS.Timeout;
};

export type StepWork = (input: StepInput, context: StepContext) => Promise<StepOutput>;

export class StepRunner {
  private readonly inFlight = new Map<string, InFlightStep>();

  constructor(private readonly work: StepWork, private readonly promoteAfterMs = DEFAULT_PROMOTE_AFTER_MS) {}

  /** The local activity: finishes fast steps, hands slow ones over. */
  async runLocally(input: StepInput): Promise<LocalStepResult> {
    const started = performance.now();
    const activity = Context.current();
    const controller = new AbortController();
    const stopForwarding = forwardCancellation(activity.cancellationSignal, controller);
    const heartbeatTarget = { current: () => undefined as void };
    const work = this.work(input, { heartbeat: () => heartbeatTarget.current(), signal: controller.signal, attempt: activity.info.attempt });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'slow'>((resolve) => { timer = setTimeout(() => resolve('slow'), this.promoteAfterMs); });
    try {
      const first = await Promise.race([work, deadline]);
      if (first !== 'slow') return { status: 'done', output: first, durationMs: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
      stopForwarding();
    }
    work.catch(() => undefined); // its failure is reported to the adopter, or nobody is waiting
    const key = stepKey(input);
    const abandonTimer = setTimeout(() => {
      // Its runStep activity may be running on another worker, which adopts the jobs it started.
      controller.abort(new AttemptAbandoned('promoted step was not adopted in time'));
      this.inFlight.delete(key);
    }, ADOPTION_TIMEOUT_MS);
    abandonTimer.unref();
    this.inFlight.set(key, { work, controller, heartbeatTarget, abandonTimer });
    return { status: 'promoted', durationMs: Math.round(performance.now() - started) };
  }

  /** The regular activity: adopts the promoted work when it runs here, otherwise does the step itself. */
  async runAsActivity(input: StepInput): Promise<StepOutput> {
    const key = stepKey(input);
    const adopted = this.inFlight.get(key);
    if (!adopted) return this.work(input, activityStepContext());
    this.inFlight.delete(key);
    clearTimeout(adopted.abandonTimer);
    const activity = Context.current();
    adopted.heartbeatTarget.current = () => heartbeat();
    const stopForwarding = forwardCancellation(activity.cancellationSignal, adopted.controller);
    const beat = setInterval(() => heartbeat(), ADOPTED_HEARTBEAT_MS);
    try {
      return await adopted.work;
    } finally {
      clearInterval(beat);
      stopForwarding();
    }
  }
}

function stepKey(input: StepInput): string {
  return `${input.runId}:${input.step}:${input.modelId}`;
}
