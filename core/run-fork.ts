// Where a fork starts in its parent's transcript. "Step k" is the parent as it stood after step k:
// the user messages step k read, its model reply and, when the reply called tools, every tool
// result of that step; the fork's own first step is k + 1. Pure: the API checks a fork with it
// and the worker finds the workspace to restore with it.
import { toolCallsOf, type Message } from './messages';
import { TOOL_NAMES } from './tool-names';

/**
 * The tools that change the workspace (the ones the side-effect check watches): a step that called
 * one keeps a step snapshot; the workspace after any other step is the one before it.
 */
export const WORKSPACE_CHANGING_TOOLS: ReadonlySet<string> = new Set([TOOL_NAMES.writeFile, TOOL_NAMES.editFile, TOOL_NAMES.bash]);

/** The part of a transcript entry this needs (stores' TranscriptEntry has it). */
export type ForkableEntry = { seq: number; step: number; sourceKey: string; message: Message; inheritedFrom?: string };

export type ForkPoint = {
  fromStep: number;
  /** The parent's last seq at step k: the fork reads the parent's rows up to it. */
  throughSeq: number;
  /** Step k's reply was a final answer (no tool calls): the fork needs a new message to continue. */
  endedWithAnswer: boolean;
  /**
   * The last step at or before k that called a workspace-changing tool, and the run whose row it is
   * (an ancestor when the parent is itself a fork): the workspace at step k is the one that step
   * left. Absent: no such tool ran up to step k, so the workspace was empty.
   */
  workspaceStep?: { runId: string; step: number };
};

export type ForkPointProblem =
  | { code: 'step_out_of_range'; message: string; lastStep: number }
  | { code: 'step_incomplete'; message: string; lastStep: number };

/** Steps of the transcript whose reply and tool results are all recorded, in order. */
export function completeSteps(entries: readonly ForkableEntry[]): number[] {
  const replies = new Map<number, number>();
  const results = new Map<number, number>();
  for (const entry of entries) {
    if (entry.sourceKey === `assistant:${entry.step}` && entry.message.type === 'assistant') replies.set(entry.step, toolCallsOf(entry.message).length);
    if (entry.message.type === 'tool-result' && entry.sourceKey.startsWith(`tool:${entry.step}:`)) results.set(entry.step, (results.get(entry.step) ?? 0) + 1);
  }
  return [...replies.entries()].filter(([step, calls]) => (results.get(step) ?? 0) >= calls).map(([step]) => step).sort((a, b) => a - b);
}

/** The fork point at step `fromStep` of the run `runId` whose transcript (as that run reads it) is `entries`. */
export function forkPointOf(runId: string, entries: readonly ForkableEntry[], fromStep: number): ForkPoint | ForkPointProblem {
  const complete = completeSteps(entries);
  const lastStep = complete[complete.length - 1] ?? 0;
  if (!complete.includes(fromStep)) {
    const replied = entries.some((entry) => entry.sourceKey === `assistant:${fromStep}`);
    return replied
      ? { code: 'step_incomplete', message: `step ${fromStep} of run ${runId} has not recorded all its tool results yet (it may be waiting for a review)`, lastStep }
      : { code: 'step_out_of_range', message: `run ${runId} has no step ${fromStep}; its complete steps are 1 to ${lastStep}`, lastStep };
  }
  const upTo = entries.filter((entry) => entry.step <= fromStep);
  const throughSeq = Math.max(...upTo.map((entry) => entry.seq));
  const reply = upTo.find((entry) => entry.sourceKey === `assistant:${fromStep}`)?.message;
  const withTools = upTo.filter((entry) => entry.message.type === 'tool-result' && WORKSPACE_CHANGING_TOOLS.has(entry.message.toolName));
  const last = withTools[withTools.length - 1];
  return {
    fromStep,
    throughSeq,
    endedWithAnswer: reply?.type === 'assistant' && toolCallsOf(reply).length === 0,
    ...(last && { workspaceStep: { runId: last.inheritedFrom ?? runId, step: last.step } }),
  };
}

export function isForkPointProblem(point: ForkPoint | ForkPointProblem): point is ForkPointProblem {
  return 'code' in point;
}
