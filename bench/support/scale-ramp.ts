// One level of the scale ramp: `concurrency` conversations kept running for `windowMs` (a finished
// one is replaced at once), each step's overhead read from the gaps between its model calls.
import { ulid } from 'ulid';
import type { RecordedRequest } from '../../model-server';
import { followRun } from './keel-client';
import { percentile, round } from './stats';

export type RampLevel = {
  concurrency: number;
  /** Steps that started inside the window, per second. */
  stepsPerSecond: number;
  /** Time Keel adds between a model reply and the conversation's next model request, read at the model server. */
  stepOverheadMsP50: number;
  stepOverheadMsP99: number;
  /** The same gap as an SSE client sees it (between `model-call.started` events): adds event delivery. */
  sseGapOverheadMsP50: number;
  sseGapOverheadMsP99: number;
  /** From POST /v1/runs to the run's first model call. */
  firstCallDelayMsP99: number;
  conversations: number;
  errors: number;
};

export type RampOptions = {
  apiUrl: string;
  apiKey: string;
  model: string;
  steps: number;
  modelLatencyMs: number;
  windowMs: number;
  /** The model server's request log (its capacity must hold a level's requests). */
  modelRequests: () => RecordedRequest[];
};

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
  const wallBegin = Date.now() - (performance.now() - begin);
  await Promise.all(Array.from({ length: concurrency }, lane));
  const serverGaps = modelServerGaps(options.modelRequests(), wallBegin, options.modelLatencyMs);
  return {
    concurrency,
    stepsPerSecond: round(stepsInWindow / (options.windowMs / 1000), 1),
    stepOverheadMsP50: round(percentile(serverGaps, 0.5)),
    stepOverheadMsP99: round(percentile(serverGaps, 0.99)),
    sseGapOverheadMsP50: round(percentile(gaps, 0.5)),
    sseGapOverheadMsP99: round(percentile(gaps, 0.99)),
    firstCallDelayMsP99: round(percentile(firstCallDelays, 0.99)),
    conversations,
    errors,
  };
}

/**
 * Per conversation, the gap from one model call's reply (arrival + the scripted latency) to the
 * next call's arrival: what Keel spends between model calls (tool, writes, orchestration).
 */
export function modelServerGaps(requests: readonly RecordedRequest[], sinceMs: number, modelLatencyMs: number): number[] {
  const byConversation = new Map<string, number[]>();
  for (const request of requests) {
    const at = Date.parse(request.receivedAt);
    if (at < sinceMs || request.conversationKey === undefined || request.outcome !== 'reply') continue;
    const times = byConversation.get(request.conversationKey) ?? [];
    times.push(at);
    byConversation.set(request.conversationKey, times);
  }
  const gaps: number[] = [];
  for (const times of byConversation.values()) {
    times.sort((a, b) => a - b);
    for (let index = 1; index < times.length; index += 1) gaps.push(times[index]! - times[index - 1]! - modelLatencyMs);
  }
  return gaps;
}
