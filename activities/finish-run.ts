// Records how a run ended: the runs row (status, outcome, usage, cost) and the terminal event.
import { RUN_EVENT_TYPES, type RunEventType } from '../core/events';
import type { ReviewsRepository } from '../stores/reviews-repository';
import type { RunsRepository } from '../stores/runs-repository';
import type { EventRecorder } from './records/event-recorder';
import type { FinishInput } from './contract';
import type { TranscriptCache } from './records/transcript-cache';

const TERMINAL_EVENT: Record<FinishInput['outcome']['type'], RunEventType> = {
  completed: RUN_EVENT_TYPES.runCompleted,
  failed: RUN_EVENT_TYPES.runFailed,
  cancelled: RUN_EVENT_TYPES.runCancelled,
  step_limit_reached: RUN_EVENT_TYPES.runStepLimitReached,
  budget_exceeded: RUN_EVENT_TYPES.runBudgetExceeded,
};

export type FinishRunDeps = { runs: RunsRepository; events: EventRecorder; transcripts: TranscriptCache; reviews: Pick<ReviewsRepository, 'closeForRun'> };

export async function finishRun(deps: FinishRunDeps, input: FinishInput): Promise<void> {
  const { outcome } = input;
  await deps.runs.finish(input.runId, {
    status: outcome.type,
    step: input.step,
    usage: input.usage,
    outcome,
    lastError: outcome.type === 'failed' ? outcome.error : undefined,
    costUsd: input.costUsd,
  });
  await deps.events.record(input.runId, input.tenantId, [{
    type: TERMINAL_EVENT[outcome.type],
    data: { ...outcome, step: input.step, usage: input.usage, ...(input.costUsd === undefined ? {} : { costUsd: input.costUsd }) },
    dedupeKey: 'run.finished',
  }]);
  // A run that ended while a review waited (cancelled, say) leaves nothing for a reviewer to decide.
  await deps.reviews.closeForRun(input.runId, `the run ended ${outcome.type}`);
  deps.transcripts.forget(input.runId);
}
