// Everything that crosses the workflow↔activity boundary: the input and output of every activity
// the workflows call. Workflows import these as types only. Payloads carry references and small
// summaries (claim check), never transcripts. The shapes are recorded in workflow histories, so a
// field name or discriminant value (StepOutput's `kind`, LocalStepResult's `status`) never changes:
// TypeScript names may, JSON may not.
import { z } from 'zod';
import type { Expected, Scorer, ScoreVerdict } from '../core/evals';
import type { Reflection } from '../core/judgement';
import type { Usage } from '../core/messages';
import type { Complexity } from '../core/model-pool';
import type { PendingReview, ReviewDecision } from '../core/review';
import type { PendingMessage, RunBudget, RunLimits } from '../core/run-input';
import type { RunOutcome } from '../core/run-status';

// --- runStep, runStepLocally ---

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
  /** A final answer that does not match the run's output schema: what is wrong (the workflow sends it back). */
  outputErrors?: string[];
  /** USD the step's model call cost (0 for a model without a price). */
  costUsd?: number;
  /** How long the step took in the worker (lets the workflow tell slow runs from fast ones). */
  durationMs?: number;
  /** With kind `review`: the review the step waits for (`decided` when a reviewer was faster than the run). */
  review?: PendingReview & { decided?: ReviewDecision };
};

// --- finishRun ---

export type FinishInput = {
  runId: string;
  tenantId: string;
  step: number;
  usage: Usage;
  outcome: RunOutcome;
  costUsd?: number;
};

/** What the local-first attempt of a step reports: done, or handed over to a regular activity. */
export type LocalStepResult =
  | { status: 'done'; output: StepOutput; durationMs: number }
  | { status: 'promoted'; durationMs: number };

// --- planModels ---

export type PlanModelsInput = {
  runId: string;
  tenantId: string;
  step: number;
  complexity: Complexity;
  /** Why the run has this complexity (the classifier's signals, or "requested by the run"). */
  complexityReason: string;
  budget?: RunBudget;
  costSoFar: number;
  transcriptSeq: number;
  /** Characters the step adds before calling (the seed on the first step, new user messages). */
  newCharacters: number;
  tools: string[];
  /** The run's first plan: when nothing fits, `run.started` is recorded with the decision. */
  announceStart: boolean;
};

export type PlanModelsOutput = {
  /** Candidate model ids, in the order the workflow tries them. */
  models: string[];
  decision: string;
  /** No candidate, and only the budget is to blame (without it some model would fit). */
  budgetExhausted: boolean;
  /** The `model.selected` event's data, written by the first candidate's step. */
  selected: Record<string, unknown>;
};

// --- openReview, expireReview ---

/** A review the run now waits for; `decided` when it was decided before the run learnt of it. */
export type OpenedReview = PendingReview & { decided?: ReviewDecision };

export type ExpireReviewInput = { tenantId: string; runId: string; reviewId: string; onTimeout: 'approve' | 'reject' };

// --- reflectOnAnswer, crossValidate ---

export type ReflectInput = { runId: string; tenantId: string; step: number; modelId: string };

/** Reflection's verdict plus the model that gave it. */
export type ReflectionResult = Reflection & { model: string };

export type CrossValidateInput = {
  runId: string;
  tenantId: string;
  /** The step whose final answer is validated. */
  step: number;
  /** Validating models; empty: the policy's `crossValidation.models`. At most `crossValidation.count` distinct ones are asked. */
  models: string[];
  /** Default: the policy's `crossValidation.judgeModel`, then `smallModel`, then the first validating model. */
  judgeModel?: string;
};

export const crossValidationAnswerSchema = z.object({
  model: z.string(),
  answer: z.string().nullable(),
  /** The run's own final answer (the others are the validators'). */
  final: z.boolean().optional(),
  error: z.string().optional(),
});
export type CrossValidationAnswer = z.output<typeof crossValidationAnswerSchema>;

/** Also parses the recorded `answer.cross-validated` event on a retry. */
export const crossValidationResultSchema = z.object({
  agreed: z.boolean(),
  method: z.enum(['normalised', 'judge']),
  answers: z.array(crossValidationAnswerSchema),
  /** The judge's verdict; null when normalised match settled it. */
  judgement: z.object({ model: z.string(), agree: z.boolean(), reason: z.string(), error: z.string().optional() }).nullable(),
});
export type CrossValidationResult = z.output<typeof crossValidationResultSchema>;

// --- extractRunNotes ---

export type ExtractRunNotesInput = { runId: string; tenantId: string; userId: string; modelId: string };
export type ExtractRunNotesResult = {
  noteIds: string[];
  /** Why nothing was asked: extracted before, or nothing to read. `unparsable`: the model's answer held no notes. */
  skipped?: 'already-extracted' | 'empty-transcript' | 'unparsable';
};

// --- checkModelHealth ---

export type ModelHealthReport = { modelId: string; ok: boolean; latencyMs: number; error?: string };

// --- scoreRun (evals) ---

export type ScoreRunInput = {
  runId: string;
  tenantId: string;
  /** `live` for the agent's sampled scoring (one per run), else the scoring request's id: each scoring writes its scores once. */
  scoringId: string;
  source: 'live' | 'request';
  /** The scorers to apply, as parsed by core/evals (defaults filled in); absent: the scorers of the agent the run started from. */
  scorers?: Scorer[];
  /** Shown to rubric judges as the reference answer. */
  expected?: Expected;
};
export type ScoreRunResult = { scores: Array<ScoreVerdict & { judgeModel?: string }> };
