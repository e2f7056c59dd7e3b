// Records how a run ended: the runs row (status, outcome, usage, cost) and the terminal event. The
// cost is the usage ledger's total for the run when that is more than the workflow counted: checks,
// summaries and extraction are paid outside the steps' replies.
import { RUN_EVENT_TYPES, type NewRunEvent } from '../core/events';
import type { ReviewsRepository } from '../stores/reviews-repository';
import type { RunsRepository } from '../stores/runs-repository';
import type { EventRecorder } from './records/event-recorder';
import type { FinishInput } from './contract';
import type { TranscriptCache } from './records/transcript-cache';
import type { UsageLedger } from './records/usage-ledger';

/** The terminal event of an outcome: the outcome's fields, then the step, usage and cost it ended with. */
function terminalEvent(input: FinishInput): NewRunEvent {
  const { outcome } = input;
  const ending = { step: input.step, usage: input.usage, ...(input.costUsd === undefined ? {} : { costUsd: input.costUsd }) };
  const dedupeKey = 'run.finished';
  switch (outcome.type) {
    case 'completed': return { type: RUN_EVENT_TYPES.runCompleted, data: { ...outcome, ...ending }, dedupeKey };
    case 'failed': return { type: RUN_EVENT_TYPES.runFailed, data: { ...outcome, ...ending }, dedupeKey };
    case 'cancelled': return { type: RUN_EVENT_TYPES.runCancelled, data: { ...outcome, ...ending }, dedupeKey };
    case 'step_limit_reached': return { type: RUN_EVENT_TYPES.runStepLimitReached, data: { ...outcome, ...ending }, dedupeKey };
    case 'budget_exceeded': return { type: RUN_EVENT_TYPES.runBudgetExceeded, data: { ...outcome, ...ending }, dedupeKey };
  }
}

export type FinishRunDeps = {
  runs: RunsRepository; events: EventRecorder; transcripts: TranscriptCache; reviews: Pick<ReviewsRepository, 'closeForRun'>;
  ledger?: Pick<UsageLedger, 'runCost'>;
};

export async function finishRun(deps: FinishRunDeps, workflowInput: FinishInput): Promise<void> {
  const ledgerCost = deps.ledger ? await deps.ledger.runCost(workflowInput.runId) : undefined;
  const input: FinishInput = ledgerCost !== undefined && ledgerCost > (workflowInput.costUsd ?? 0)
    ? { ...workflowInput, costUsd: ledgerCost, outcome: workflowInput.outcome.type === 'budget_exceeded' ? { ...workflowInput.outcome, costUsd: ledgerCost } : workflowInput.outcome }
    : workflowInput;
  const { outcome } = input;
  await deps.runs.finish(input.runId, {
    status: outcome.type,
    step: input.step,
    usage: input.usage,
    outcome,
    lastError: outcome.type === 'failed' ? outcome.error : undefined,
    costUsd: input.costUsd,
  });
  await deps.events.record(input.runId, input.tenantId, [terminalEvent(input)]);
  // A run that ended while a review waited (cancelled, say) leaves nothing for a reviewer to decide.
  await deps.reviews.closeForRun(input.runId, `the run ended ${outcome.type}`);
  deps.transcripts.forget(input.runId);
}
