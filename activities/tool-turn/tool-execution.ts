// Runs one tool call exactly once per (run, step, call): a recorded result is returned on retry,
// and the result is recorded before the step acknowledges, so a crash never applies a side effect
// twice (bash additionally survives a crash mid-command: tools/job-runner.ts adopts the job).
// Before it runs, a call is gated: refused (critical risk, or a predicted outcome that does not
// match the request — activities/tool-turn/outcome-check.ts), sent to a human (confirm verdicts), or run.
// File-changing calls are wrapped in the side-effect check (side-effect-check.ts), whose events
// commit with the result.
import { realpathSync } from 'node:fs';
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import { mismatchMessage, type OutcomePrediction, type UserRequest } from '../../core/judgement';
import type { ModelCatalog } from '../../core/model-catalog';
import type { ModelSpec } from '../../core/model-spec';
import type { RunPolicy } from '../../core/run-policy';
import type { ModelProvider } from '../../providers/types';
import { validateToolCall, type RealpathReader } from '../../core/safety';
import type { ToolCallPart } from '../../core/messages';
import type { StepReviewDecision } from '../step-types';
import type { StepWriteBatch } from '../../stores/step-writes-repository';
import type { ToolResultsRepository } from '../../stores/tool-results-repository';
import type { SideEffectSnapshots } from './snapshots/side-effect-snapshots';
import { runTool, type ToolRegistry } from '../../tools';
import type { NotesPort, ToolOutputsPort, ToolResult } from '../../tools/types';
import type { EventRecorder } from '../records/event-recorder';
import { checkPredictedOutcome } from './outcome-check';
import type { RunPolicies } from '../records/run-policies';
import { runWithSideEffectCheck, type CheckedToolResult } from './side-effect-check';
import type { RunFolders, Workspaces } from './workspaces';

export type ToolExecutionDeps = {
  tools: ToolRegistry;
  toolResults: ToolResultsRepository;
  events: EventRecorder;
  workspaces: Workspaces;
  notes: NotesPort;
  /** Full outputs of earlier calls, for read_tool_output. */
  toolOutputs?: ToolOutputsPort;
  /** Each run's resolved policy (safety verdicts, side effects, review). */
  policies: RunPolicies;
  /** Models for the predicted-outcome check. */
  catalog: ModelCatalog;
  providerFor: (spec: ModelSpec) => ModelProvider;
  /** Workspace snapshots around file-changing calls (activities/tool-turn/side-effect-check.ts), one per worker. */
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
  /** Decisions reviewers made on this step's calls (a resumed step). */
  reviewDecisions?: readonly StepReviewDecision[];
  /** The step's model: predicts outcomes when the policy names no small model. */
  modelId: string;
  /** The user's first and latest messages, which a predicted outcome is checked against. */
  request?: UserRequest;
  /**
   * The transcript's version of an oversized output (a summary and a reference to the full one), or
   * undefined to keep it. Runs before the result is recorded and is stored with it, so it runs once.
   */
  compress?: (output: string, executionKey: string) => Promise<string | undefined>;
};

/** A call that waits for a human: the step stops before it and opens this review. */
export type ToolReviewRequest = { subjectKey: string; summary: string; context: Record<string, unknown> };

/** `contextOutput`: what the transcript holds instead of `result.output`, when that was too large. */
export type ToolExecution =
  | { result: ToolResult; contextOutput?: string; deferred?: StepWriteBatch; review?: undefined }
  | { review: ToolReviewRequest; result?: undefined; contextOutput?: undefined; deferred?: undefined };

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
    return {
      result: { output: recorded.output, isError: recorded.isError, metadata: (recorded.metadata ?? undefined) as ToolResult['metadata'] },
      contextOutput: recorded.contextOutput ?? undefined,
    };
  }

  const gate = await gateToolCall(deps, input, key);
  if (gate.kind === 'review') return { review: gate.review };

  const startedAt = new Date();
  // Written while the tool runs: off the critical path, and ordered before its result.
  const started = deps.events.record(runId, tenantId, [{
    type: RUN_EVENT_TYPES.toolCallStarted,
    data: { step: input.step, callId: call.callId, toolName: call.toolName, arguments: gate.kind === 'run' ? gate.arguments : call.arguments },
    dedupeKey: `tool-call.started:${key}`,
  }]);
  let result: ToolResult;
  let contextOutput: string | undefined;
  let finishedAt: Date;
  let sideEffectEvents: CheckedToolResult['events'];
  try {
    ({ result, events: sideEffectEvents } = gate.kind === 'refuse' ? { result: gate.result, events: [] } : await runGatedTool(deps, input, key, gate));
    // The tool's own time; summarising its output belongs to the context.
    finishedAt = new Date();
    // A tool that ran is recorded whatever happens to its summary (a retry must not run it again).
    contextOutput = input.compress ? await input.compress(result.output, key).catch(() => undefined) : undefined;
  } finally {
    await started.catch(() => undefined);
  }
  const { prediction } = gate;
  const predictionEvents: Array<NewRunEvent & { at: Date }> = prediction?.verdict === 'mismatch'
    ? [{
        type: RUN_EVENT_TYPES.toolCallPredictionMismatch,
        data: {
          step: input.step, callId: call.callId, toolName: call.toolName, arguments: call.arguments, model: prediction.model,
          prediction: prediction.prediction, effects: prediction.effects, matchesRequest: prediction.matchesRequest, reason: prediction.reason, conflicts: prediction.conflicts,
        },
        dedupeKey: `tool-call.prediction-mismatch:${key}`,
        at: finishedAt,
      }]
    : [];
  const batch: StepWriteBatch = {
    toolResults: [{
      callId: key, step: input.step, toolName: call.toolName, arguments: call.arguments,
      output: result.output, contextOutput, isError: result.isError, metadata: result.metadata, startedAt, finishedAt,
    }],
    events: [...predictionEvents, {
      type: RUN_EVENT_TYPES.toolCallFinished,
      data: {
        step: input.step, callId: call.callId, toolName: call.toolName, isError: result.isError,
        outputPreview: result.output.slice(0, 500), outputChars: result.output.length, durationMs: finishedAt.getTime() - startedAt.getTime(),
        ...(contextOutput !== undefined && { compressed: { reference: key, contextChars: contextOutput.length } }),
        ...(result.metadata?.safety ? { safety: result.metadata.safety } : {}),
        ...(result.metadata?.review ? { review: result.metadata.review } : {}),
        ...(prediction ? { prediction: { verdict: prediction.verdict, model: prediction.model, effects: prediction.effects, error: prediction.error } } : {}),
      },
      dedupeKey: `tool-call.finished:${key}`,
      at: finishedAt,
    }, ...sideEffectEvents.map((event) => ({ ...event, at: finishedAt }))],
  };
  if (input.deferRecord) return { result, contextOutput, deferred: batch };
  await deps.events.commit(runId, tenantId, batch);
  return { result, contextOutput };
}

type SafetySummary = { verdict: 'allow' | 'confirm' | 'deny'; risk: string; reasons: string[] };

/** The run's folders and policy, looked up once by the gate and used again to run the call. */
type RunScope = { folders: RunFolders; policy: RunPolicy };

/** What happens to a call before it runs: it runs (with the arguments a reviewer may have edited), is refused, or waits for a human. */
type ToolGate =
  | { kind: 'run'; arguments: Record<string, unknown>; scope: RunScope; safety?: SafetySummary; review?: Record<string, unknown>; prediction?: OutcomePrediction }
  | { kind: 'refuse'; result: ToolResult; prediction?: OutcomePrediction }
  | { kind: 'review'; review: ToolReviewRequest; prediction?: undefined };

async function gateToolCall(deps: ToolExecutionDeps, input: ToolExecutionInput, key: string): Promise<ToolGate> {
  const { call } = input;
  if (call.rawArguments !== undefined) {
    return refuse(`arguments for ${call.toolName} were not valid JSON: ${call.rawArguments.slice(0, 200)}`);
  }
  if (!input.allowedTools.includes(call.toolName)) {
    return refuse(`tool "${call.toolName}" is not available in this run; available tools: ${input.allowedTools.join(', ')}`);
  }
  const folders = await deps.workspaces.forRun(input.tenantId, input.runId);
  const policy = await deps.policies.forRun(input.tenantId, input.runId);
  const subjectKey = toolReviewSubject(key);
  const decision = input.reviewDecisions?.find((candidate) => candidate.subjectKey === subjectKey);
  const validate = (args: Record<string, unknown>) =>
    validateToolCall({ toolName: call.toolName, arguments: args, workspace: folders.workspace, policy: policy.safety }, REAL_PATHS);
  const summary = ({ verdict, risk, reasons }: SafetySummary): SafetySummary => ({ verdict, risk, reasons });
  const scope: RunScope = { folders, policy };
  const validation = validate(call.arguments);
  const safety = summary(validation);
  // Critical calls (rm -rf /, curl | sh, credential reads...) never run, whoever approves them.
  if (safety.verdict === 'deny') return refuseUnsafe(safety);
  if (!decision) {
    // A human's decision replaces the prediction; without one, a risky or destructive call is predicted first.
    const prediction = await checkPredictedOutcome(deps, {
      toolName: call.toolName, arguments: call.arguments, workspace: folders.workspace, safety: validation, policy,
      stepModelId: input.modelId, request: input.request, signal: input.signal, heartbeat: input.heartbeat,
    });
    if (prediction?.verdict === 'mismatch' && input.request) {
      const metadata = { prediction, ...(safety.verdict === 'confirm' ? { safety } : {}) };
      return { kind: 'refuse', result: { output: mismatchMessage(prediction, input.request), isError: true, metadata }, prediction };
    }
    // An allowed call runs even when its outcome could not be predicted (flagged in its result):
    // the prediction is an extra check on top of the policy, not a reason to stall the run.
    if (safety.verdict === 'allow') return { kind: 'run', arguments: call.arguments, scope, prediction };
    return {
      kind: 'review',
      review: {
        subjectKey,
        summary: `${call.toolName} needs approval (${safety.risk} risk): ${safety.reasons[0] ?? 'the policy asks for a human'}`,
        context: { toolName: call.toolName, callId: call.callId, arguments: call.arguments, safety, ...(prediction && { prediction }) },
      },
    };
  }
  const review = { reviewId: decision.reviewId, action: decision.action, decidedBy: decision.decidedBy, ...(decision.reason !== undefined && { reason: decision.reason }) };
  if (decision.action === 'reject') {
    const because = decision.reason ? `: ${decision.reason}` : '';
    return { kind: 'refuse', result: { output: `Not run: a reviewer rejected this ${call.toolName} call${because}. Do something else or ask the user.`, isError: true, metadata: { safety, review } } };
  }
  if (decision.action === 'edit' && decision.arguments) {
    // Edited arguments are judged again: a human may approve a risk, never a critical one.
    const edited = summary(validate(decision.arguments));
    if (edited.verdict === 'deny') return refuseUnsafe(edited);
    return { kind: 'run', arguments: decision.arguments, scope, safety: edited, review: { ...review, arguments: decision.arguments } };
  }
  return { kind: 'run', arguments: call.arguments, scope, safety, review };
}

async function runGatedTool(deps: ToolExecutionDeps, input: ToolExecutionInput, key: string, gate: Extract<ToolGate, { kind: 'run' }>): Promise<CheckedToolResult> {
  const checked = {
    ...(gate.safety && { safety: gate.safety }),
    ...(gate.review && { review: gate.review }),
    ...(gate.prediction && { prediction: gate.prediction }),
  };
  const { folders, policy } = gate.scope;
  const checkInput = {
    toolName: input.call.toolName, arguments: gate.arguments, key, step: input.step, callId: input.call.callId,
    workspace: folders.workspace, jobsDir: folders.jobsDir, action: policy.sideEffects,
  };
  // File-changing calls run inside the side-effect check: a snapshot before, a diff after.
  const { result, events } = await runWithSideEffectCheck(deps.sideEffects, checkInput, () => runTool(deps.tools, input.call.toolName, gate.arguments, {
    runId: input.runId,
    tenantId: input.tenantId,
    userId: input.userId,
    callId: key,
    workspace: folders.workspace,
    jobsDir: folders.jobsDir,
    heartbeat: input.heartbeat,
    signal: input.signal,
    notes: deps.notes,
    toolOutputs: deps.toolOutputs,
    allowNetwork: policy.safety.allowNetwork,
  }));
  return { result: Object.keys(checked).length > 0 ? { ...result, metadata: { ...result.metadata, ...checked } } : result, events };
}

function refuse(output: string): ToolGate {
  return { kind: 'refuse', result: { output, isError: true } };
}

function refuseUnsafe(safety: SafetySummary): ToolGate {
  return { kind: 'refuse', result: { output: `refused by Keel's safety policy (${safety.risk} risk): ${safety.reasons.join('; ')}`, isError: true, metadata: { safety } } };
}

/** The review subject of a tool call: unique in the run, stable across retries. */
export function toolReviewSubject(executionKey: string): string {
  return `tool:${executionKey}`;
}
