// Signals, queries and updates of agentRun: defined once, imported by the API and tests.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Usage } from '../core/messages';
import type { PendingReview, ReviewDecision } from '../core/review';
import type { PendingMessage } from '../core/run-input';
import type { RunStatus } from '../core/run-status';

export type RunStateSnapshot = {
  status: RunStatus;
  step: number;
  maxSteps: number;
  usage: Usage;
  /** What the run is doing now: a step on a model, or nothing between steps. */
  pendingWork: { kind: 'step'; step: number; modelId: string } | { kind: 'review'; step: number; reviewId: string } | null;
  pendingMessages: number;
  lastError: string | null;
  continuedRuns: number;
  /** USD spent on priced (pool) models so far. */
  costUsd: number;
  /** Reviews the run is waiting for (decide them with POST /v1/runs/:id/reviews/:reviewId). */
  pendingReviews?: PendingReview[];
};

export type SendMessageResult = { accepted: true; messageId: string; pendingMessages: number };

export const userMessageSignal = defineSignal<[PendingMessage]>('userMessage');
export const cancelSignal = defineSignal<[{ reason?: string }]>('cancel');
export const stateQuery = defineQuery<RunStateSnapshot>('state');
/** A reviewer's decision, sent by the API after it recorded the decision. */
export const approvalSignal = defineSignal<[ReviewDecision]>('approval');
export const sendMessageUpdate = defineUpdate<SendMessageResult, [PendingMessage]>('sendMessage');

/** Caps what a run buffers between steps; more is refused so a client cannot grow the state unbounded. */
export const MAX_PENDING_MESSAGES = 100;

/** Caps decisions buffered for reviews the run has not seen yet (a reviewer faster than the run). */
export const MAX_EARLY_DECISIONS = 100;
