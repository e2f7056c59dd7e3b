// What a run shows on its Temporal Web UI page: a one-line summary on each step's activity (user
// metadata, written when it is scheduled, so it names only what is known then: the step, the model,
// what the step answers) and the run's current details (the last finished step, or the outcome).
// Pure and deterministic; the loop decides when they are written (agent-loop.ts).
import type { StepOutput } from '../activities/contract';
import type { Usage } from '../core/messages';
import type { RunOutcome } from '../core/run-status';

/** Summaries are one line; the UI cuts long ones anyway. */
export const MAX_SUMMARY_CHARS = 200;

export type StepSummaryInput = {
  step: number;
  maxSteps: number;
  modelId: string;
  /** The step before this one in this run (undefined for the first, or after continue-as-new). */
  previous?: StepOutput;
  /** User messages this step reads first. */
  newMessages: number;
  /** The step resumes after a review decision. */
  resumed: boolean;
  /** This model is a fallback: the ones before it failed this step. */
  fallback: boolean;
};

function clip(text: string, limit = MAX_SUMMARY_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** Tool names with how each went: `write_file, bash (failed)`. */
function toolsOf(output: StepOutput): string {
  return output.toolCalls.map((call) => (call.isError ? `${call.toolName} (failed)` : call.toolName)).join(', ');
}

/** What this step answers: the first message, the previous step's tool results, a review, new messages. */
function answering(input: StepSummaryInput): string {
  if (input.resumed) return 'resumes after a review';
  const parts: string[] = [];
  if (input.previous && input.previous.toolCalls.length > 0) parts.push(`reads ${toolsOf(input.previous)}`);
  if (input.newMessages > 0) parts.push(input.newMessages === 1 ? 'reads a new message' : `reads ${input.newMessages} new messages`);
  if (parts.length === 0 && input.step === 1) parts.push('reads the first message');
  return parts.join('; ');
}

export function stepSummary(input: StepSummaryInput): string {
  const model = input.fallback ? `${input.modelId} (fallback)` : input.modelId;
  const reads = answering(input);
  return clip(`Step ${input.step}/${input.maxSteps} · ${model}${reads ? ` · ${reads}` : ''}`);
}

function tokens(usage: Usage): string {
  return `${usage.inputTokens} in / ${usage.outputTokens} out`;
}

/** The current details after a step: markdown, as the Web UI renders it. */
export function stepDetails(step: number, maxSteps: number, output: StepOutput, runUsage: Usage): string {
  const done = `**Step ${step} of ${maxSteps}** on \`${output.modelId}\``;
  const what = output.kind === 'final'
    ? `answered: ${clip(output.answerPreview ?? '', 300)}`
    : output.kind === 'review'
      ? `waits for a human review${output.review ? ` (${output.review.reviewId})` : ''}${output.toolCalls.length > 0 ? ` after ${toolsOf(output)}` : ''}`
      : `called ${toolsOf(output) || 'no tool'}`;
  return `${done}: ${what}\n\nTokens so far: ${tokens(runUsage)}`;
}

/** The summary of the finishRun activity. */
export function finishSummary(outcome: RunOutcome): string {
  return clip(`Finish · ${outcome.type.replace(/_/g, ' ')}`);
}

/** The current details once the run has ended. */
export function outcomeDetails(outcome: RunOutcome, steps: number, runUsage: Usage): string {
  const after = `after ${steps} ${steps === 1 ? 'step' : 'steps'}`;
  const why = outcome.type === 'completed'
    ? `: ${clip(outcome.answer, 300)}`
    : outcome.type === 'failed'
      ? `: ${clip(outcome.error, 300)}`
      : outcome.type === 'cancelled'
        ? (outcome.reason ? `: ${clip(outcome.reason, 300)}` : '')
        : `: ${clip(outcome.message, 300)}`;
  return `**Run ${outcome.type.replace(/_/g, ' ')}** ${after}${why}\n\nTokens: ${tokens(runUsage)}`;
}

/** The run's details while a step waits for a slot of its tenant's `concurrentSteps` quota. */
export function slotWaitDetails(step: number, waits: number): string {
  return `Step ${step} waits for a slot of its tenant's concurrentSteps quota (wait ${waits})`;
}
