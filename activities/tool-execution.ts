// Runs one tool call exactly once per (run, step, call): a recorded result is returned on retry,
// and the result is recorded before the step acknowledges, so a crash never applies a side effect
// twice (bash additionally survives a crash mid-command: tools/job-runner.ts adopts the job).
// File-changing calls are wrapped in the side-effect check (side-effect-check.ts), whose events
// commit with the result.
import { realpathSync } from 'node:fs';
import { RUN_EVENT_TYPES } from '../core/events';
import { validateToolCall, type RealpathReader } from '../core/safety';
import type { ToolCallPart } from '../core/messages';
import type { StepWriteBatch } from '../stores/step-writes-repository';
import type { ToolResultsRepository } from '../stores/tool-results-repository';
import type { SideEffectSnapshots } from '../tools/side-effect-snapshots';
import { runTool, type ToolRegistry } from '../tools';
import type { NotesPort, ToolResult } from '../tools/types';
import type { EventRecorder } from './event-recorder';
import type { RunPolicies } from './run-policies';
import { runWithSideEffectCheck, type CheckedToolResult } from './side-effect-check';
import type { Workspaces } from './workspaces';

export type ToolExecutionDeps = {
  tools: ToolRegistry;
  toolResults: ToolResultsRepository;
  events: EventRecorder;
  workspaces: Workspaces;
  notes: NotesPort;
  /** Each run's resolved policy (safety verdicts, side effects, review). */
  policies: RunPolicies;
  /** Workspace snapshots around file-changing calls (activities/side-effect-check.ts), one per worker. */
  sideEffects: SideEffectSnapshots;
};

export type ToolExecutionInput = {
  runId: string;
  tenantId: string;
  userId: string;
  step: number;
  /** Position of the call in the model's reply (call ids alone are not unique across steps for every provider). */
  index: number;
  call: ToolCallPart;
  allowedTools: readonly string[];
  signal?: AbortSignal;
  heartbeat: () => void;
  /** The reply was produced by this attempt, so no earlier attempt can have run this call. */
  knownNew: boolean;
  /** Return the result's writes for the caller to commit with the rest of the step (one round trip). */
  deferRecord: boolean;
};

export type ToolExecution = { result: ToolResult; deferred?: StepWriteBatch };

const REAL_PATHS: RealpathReader = {
  realpath: (target) => {
    try {
      return realpathSync(target);
    } catch {
      return undefined;
    }
  },
};

/** The idempotency key of a tool run: unique in the run even when a provider reuses call ids. */
export function executionKey(step: number, index: number, callId: string): string {
  return `s${step}_${index}_${callId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 80)}`;
}

export async function executeToolCall(deps: ToolExecutionDeps, input: ToolExecutionInput): Promise<ToolExecution> {
  const { runId, tenantId, call } = input;
  const key = executionKey(input.step, input.index, call.callId);
  const recorded = input.knownNew ? undefined : await deps.toolResults.get(runId, key);
  if (recorded) {
    return { result: { output: recorded.output, isError: recorded.isError, metadata: (recorded.metadata ?? undefined) as ToolResult['metadata'] } };
  }

  const startedAt = new Date();
  // Written while the tool runs: off the critical path, and ordered before its result.
  const started = deps.events.record(runId, tenantId, [{
    type: RUN_EVENT_TYPES.toolCallStarted,
    data: { step: input.step, callId: call.callId, toolName: call.toolName, arguments: call.arguments },
    dedupeKey: `tool-call.started:${key}`,
  }]);
  let result: ToolResult;
  let sideEffectEvents: CheckedToolResult['events'];
  try {
    ({ result, events: sideEffectEvents } = await runAllowedTool(deps, input, key));
  } finally {
    await started.catch(() => undefined);
  }
  const finishedAt = new Date();
  const batch: StepWriteBatch = {
    toolResults: [{
      callId: key, step: input.step, toolName: call.toolName, arguments: call.arguments,
      output: result.output, isError: result.isError, metadata: result.metadata, startedAt, finishedAt,
    }],
    events: [{
      type: RUN_EVENT_TYPES.toolCallFinished,
      data: {
        step: input.step, callId: call.callId, toolName: call.toolName, isError: result.isError,
        outputPreview: result.output.slice(0, 500), outputChars: result.output.length, durationMs: finishedAt.getTime() - startedAt.getTime(),
        ...(result.metadata?.safety ? { safety: result.metadata.safety } : {}),
      },
      dedupeKey: `tool-call.finished:${key}`,
      at: finishedAt,
    }, ...sideEffectEvents.map((event) => ({ ...event, at: finishedAt }))],
  };
  if (input.deferRecord) return { result, deferred: batch };
  await deps.events.commit(runId, tenantId, batch);
  return { result };
}

async function runAllowedTool(deps: ToolExecutionDeps, input: ToolExecutionInput, key: string): Promise<CheckedToolResult> {
  const { call } = input;
  if (call.rawArguments !== undefined) {
    return { result: { output: `arguments for ${call.toolName} were not valid JSON: ${call.rawArguments.slice(0, 200)}`, isError: true }, events: [] };
  }
  if (!input.allowedTools.includes(call.toolName)) {
    return { result: { output: `tool "${call.toolName}" is not available in this run; available tools: ${input.allowedTools.join(', ')}`, isError: true }, events: [] };
  }
  const folders = await deps.workspaces.forRun(input.tenantId, input.runId);
  // Critical calls (rm -rf /, curl | sh, credential reads...) never run. Calls the policy would send
  // to a human run for now, flagged in their result and event, until the review flow exists.
  const policy = await deps.policies.forRun(input.tenantId, input.runId);
  const safety = validateToolCall({ toolName: call.toolName, arguments: call.arguments, workspace: folders.workspace, policy: policy.safety }, REAL_PATHS);
  const verdict = { verdict: safety.verdict, risk: safety.risk, reasons: safety.reasons };
  if (safety.verdict === 'deny') {
    return { result: { output: `refused by Keel's safety policy (${safety.risk} risk): ${safety.reasons.join('; ')}`, isError: true, metadata: { safety: verdict } }, events: [] };
  }
  const checkInput = {
    toolName: call.toolName, arguments: call.arguments, key, step: input.step, callId: call.callId,
    workspace: folders.workspace, jobsDir: folders.jobsDir, action: policy.sideEffects,
  };
  const checked = await runWithSideEffectCheck(deps.sideEffects, checkInput, () => runTool(deps.tools, call.toolName, call.arguments, {
    runId: input.runId,
    tenantId: input.tenantId,
    userId: input.userId,
    callId: key,
    workspace: folders.workspace,
    jobsDir: folders.jobsDir,
    heartbeat: input.heartbeat,
    signal: input.signal,
    notes: deps.notes,
    allowNetwork: policy.safety.allowNetwork,
  }));
  const { result } = checked;
  return safety.verdict === 'confirm' ? { ...checked, result: { ...result, metadata: { ...result.metadata, safety: verdict } } } : checked;
}
