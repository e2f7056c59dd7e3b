// Payloads of the step activity: references and small summaries only (claim check), never transcripts.
import type { Usage } from '../core/messages';
import type { PendingReview, ReviewDecision } from '../core/review';
import type { PendingMessage, RunBudget, RunLimits } from '../core/run-input';

export type StepInput = {
  runId: string;
  tenantId: string;
  userId: string;
  step: number;
  modelId: string;
  tools: string[];
  stream: boolean;
  /** User messages that arrived since the last step; appended before the model call. */
  newMessages: PendingMessage[];
  /** Only on the first step: persisted as the transcript's system and first user message. */
  seed?: { instructions: string; firstMessage: string };
  /** The transcript seq the workflow saw last; a worker whose cache matches skips a read. */
  transcriptSeq: number;
  /** The run's usage before this step, so storage can show the running total. */
  usageSoFar: Usage;
  limits: Pick<RunLimits, 'maxSteps'>;
  /** USD the run spent before this step (absent on steps scheduled before the model pool). */
  costSoFar?: number;
  /** The run's budget: a call whose worst-case cost does not fit is refused before it is made. */
  budget?: RunBudget;
  /**
   * False while the workflow has another candidate after this model: a stream that breaks after
   * its first delta then moves on to it instead of retrying here (clients already saw a reset).
   */
  lastCandidate?: boolean;
  /**
   * The pool's decision, on the first candidate after a plan: recorded as `model.selected` with the
   * step's first write (and `models`/`complexity` go into `run.started` on the first step).
   */
  selection?: { models: string[]; complexity: string; data: Record<string, unknown> };
  /**
   * Set when the step continues after a review: the recorded reply is reused and its usage is not
   * counted again; `reviewDecisions` holds what reviewers decided on this step's calls so far.
   */
  resume?: boolean;
  reviewDecisions?: StepReviewDecision[];
};

/** A reviewer's decision on one of the step's subjects (`tool:<execution key>`). */
export type StepReviewDecision = ReviewDecision & { subjectKey: string };

export type ToolCallSummary = { callId: string; toolName: string; isError: boolean };

export type StepOutput = {
  /** `review`: the step stopped before a call that waits for a human (`review`); resume it with the decision. */
  kind: 'tool-calls' | 'final' | 'review';
  modelId: string;
  usage: Usage;
  toolCalls: ToolCallSummary[];
  transcriptSeq: number;
  /** Start of the final answer (the whole answer is in the transcript). */
  answerPreview?: string;
  /** USD the step's model call cost (0 for a model without a price). */
  costUsd?: number;
  /** How long the step took in the worker (lets the workflow tell slow runs from fast ones). */
  durationMs?: number;
  /** With kind `review`: the review the step waits for (`decided` when a reviewer was faster than the run). */
  review?: PendingReview & { decided?: ReviewDecision };
};

export type FinishInput = {
  runId: string;
  tenantId: string;
  step: number;
  usage: Usage;
  outcome: import('../core/run-status').RunOutcome;
  costUsd?: number;
};

/** What the local-first attempt of a step reports: done, or handed over to a regular activity. */
export type LocalStepResult =
  | { status: 'done'; output: StepOutput; durationMs: number }
  | { status: 'promoted'; durationMs: number };
