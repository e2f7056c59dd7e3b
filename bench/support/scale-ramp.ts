// One level of the scale ramp: `concurrency` conversations kept running for `windowMs` (a finished
// one is replaced at once), each step's overhead read from the gaps between its model calls.
import { ulid } from 'ulid';
import { followRun } from './keel-client';
import { percentile, round } from './stats';

export type RampLevel = {
  concurrency: number;
  /** Steps that started inside the window, per second. */
  stepsPerSecond: number;
  stepOverheadMsP50: number;
  stepOverheadMsP99: number;
  /** From POST /v1/runs to the run's first model call. */
  firstCallDelayMsP99: number;
  conversations: number;
  errors: number;
};

export type RampOptions = { apiUrl: string; apiKey: string; model: string; steps: number; modelLatencyMs: number; windowMs: number };

export async function runRampLevel(concurrency: number, options: RampOptions): Promise<RampLevel> {
  const begin = performance.now();
  const deadline = begin + options.windowMs;
  const gaps: number[] = [];
  const firstCallDelays: number[] = [];
  let stepsInWindow = 0;
  let conversations = 0;
  let errors = 0;
  const lane = async () => {
    while (performance.now() < deadline) {
      conversations += 1;
      try {
        const run = await followRun(options.apiUrl, options.apiKey, { message: `ramp ${concurrency} ${ulid()}`, model: options.model, limits: { maxSteps: options.steps + 1 } });
        if (run.status !== 'completed') errors += 1;
        const starts = run.stepStartedAt;
        if (starts[0] !== undefined) firstCallDelays.push(starts[0] - run.startedAt);
        starts.forEach((at, index) => {
          if (at >= begin && at <= deadline) stepsInWindow += 1;
          if (index > 0) gaps.push(at - starts[index - 1]! - options.modelLatencyMs);
        });
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return {
    concurrency,
    stepsPerSecond: round(stepsInWindow / (options.windowMs / 1000), 1),
    stepOverheadMsP50: round(percentile(gaps, 0.5)),
    stepOverheadMsP99: round(percentile(gaps, 0.99)),
    firstCallDelayMsP99: round(percentile(firstCallDelays, 0.99)),
    conversations,
    errors,
  };
}
