// Payloads of the step activity: references and small summaries only (claim check), never transcripts.
import type { Usage } from '../core/messages';
import type { PendingMessage, RunLimits } from '../core/run-input';

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
};

export type ToolCallSummary = { callId: string; toolName: string; isError: boolean };

export type StepOutput = {
  kind: 'tool-calls' | 'final';
  modelId: string;
  usage: Usage;
  toolCalls: ToolCallSummary[];
  transcriptSeq: number;
  /** Start of the final answer (the whole answer is in the transcript). */
  answerPreview?: string;
};

export type FinishInput = {
  runId: string;
  tenantId: string;
  step: number;
  usage: Usage;
  outcome: import('../core/run-status').RunOutcome;
};

/** What the local-first attempt of a step reports: done, or handed over to a regular activity. */
export type LocalStepResult =
  | { status: 'done'; output: StepOutput; durationMs: number }
  | { status: 'promoted'; durationMs: number };
