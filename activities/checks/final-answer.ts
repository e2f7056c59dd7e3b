// Finds the final answer of a step in a run's transcript, for the checks that run on it
// (reflection, cross-validation); a step without one is a caller's mistake and never retried.
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../../core/errors';
import { textOf, toolCallsOf, type AssistantMessage } from '../../core/messages';
import type { EventsRepository } from '../../stores/events-repository';
import type { TranscriptEntry } from '../../stores/transcript-repository';
import type { CheckModelDeps } from './check-model';
import type { EventRecorder } from '../records/event-recorder';
import type { RunPolicies } from '../records/run-policies';
import type { TranscriptCache } from '../records/transcript-cache';

/** What the answer checks (reflection, cross-validation) read and write. */
export type AnswerCheckDeps = CheckModelDeps & {
  transcripts: TranscriptCache;
  events: EventRecorder;
  recordedEvents: Pick<EventsRepository, 'findByDedupeKeys'>;
  policies: RunPolicies;
};

export type FinalAnswer = { entry: TranscriptEntry; message: AssistantMessage; text: string };

export function finalAnswerOf(entries: readonly TranscriptEntry[], runId: string, step: number): FinalAnswer {
  const entry = entries.find((candidate) => candidate.sourceKey === `assistant:${step}`);
  const message = entry?.message.type === 'assistant' ? entry.message : undefined;
  if (!entry || !message || toolCallsOf(message).length > 0) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.answerNotFound,
      message: `run ${runId} has no final answer at step ${step}`,
      nonRetryable: true,
      details: [{ runId, step }],
    });
  }
  return { entry, message, text: textOf(message) };
}
