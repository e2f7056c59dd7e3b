// Runs one tool call exactly once per (run, step, call): a recorded result is returned on retry,
// and the result is recorded before the step acknowledges, so a crash never applies a side effect
// twice (bash additionally survives a crash mid-command: tools/job-runner.ts adopts the job).
// Before it runs, a call is gated (tool-gate.ts): refused, sent to a human, or run.
// File-changing calls are wrapped in the side-effect check (side-effect-check.ts), whose events
// commit with the result.
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import type { ModelCatalog } from '../../core/model-catalog';
import type { ModelSpec } from '../../core/model-spec';
import type { ModelProvider } from '../../providers/types';
import type { StepWriteBatch } from '../../stores/step-writes-repository';
import type { ToolResultsRepository } from '../../stores/tool-results-repository';
import type { SideEffectSnapshots } from './snapshots/side-effect-snapshots';
import { runTool, type ToolRegistry } from '../../tools';
import type { NotesPort, ToolOutputsPort, ToolResult } from '../../tools/types';
import type { EventRecorder } from '../records/event-recorder';
import { gateToolCall, type ToolGate, type ToolGateInput, type ToolReviewRequest } from './tool-gate';
import type { RunPolicies } from '../records/run-policies';
import { runWithSideEffectCheck, type CheckedToolResult } from './side-effect-check';
import type { Workspaces } from './workspaces';
import type { Span } from '@opentelemetry/api';
import { inSpan, SPAN_ATTRIBUTES, SPAN_NAMES } from '../../runtime/tracing';
import type { UsageLedger } from '../records/usage-ledger';

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
  /** Where the predicted-outcome check's calls are recorded (purpose `prediction`). */
  ledger: Pick<UsageLedger, 'record'>;
  /** Workspace snapshots around file-changing calls (activities/tool-turn/side-effect-check.ts), one per worker. */
  sideEffects: SideEffectSnapshots;
};

/** The gate's input (tool-gate.ts) and what running and recording the call needs besides. */
export type ToolExecutionInput = ToolGateInput & {
  userId: string;
  step: number;
  /** Position of the call in the model's reply (call ids alone are not unique across steps for every provider). */
  index: number;
  /**
   * A declared tool that is not read-only (MCP without readOnlyHint, HTTP other than GET): Keel
   * cannot adopt its work after a crash, so it runs at most once (see executeToolCall).
   */
  atMostOnce?: boolean;
  /** The reply was produced by this attempt, so no earlier attempt can have run this call. */
  knownNew: boolean;
  /** Return the result's writes for the caller to commit with the rest of the step (one round trip). */
  deferRecord: boolean;
  /**
   * The transcript's version of an oversized output (a summary and a reference to the full one), or
   * undefined to keep it. Runs before the result is recorded and is stored with it, so it runs once.
   */
  compress?: (output: string, executionKey: string) => Promise<string | undefined>;
};

/** `contextOutput`: what the transcript holds instead of `result.output`, when that was too large. */
export type ToolExecution =
  | { result: ToolResult; contextOutput?: string; deferred?: StepWriteBatch; review?: undefined }
  | { review: ToolReviewRequest; result?: undefined; contextOutput?: undefined; deferred?: undefined };

/** The idempotency key of a tool run: unique in the run even when a provider reuses call ids. */
export function executionKey(step: number, index: number, callId: string): string {
  return `s${step}_${index}_${callId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 80)}`;
}

export async function executeToolCall(deps: ToolExecutionDeps, input: ToolExecutionInput): Promise<ToolExecution> {
  const { runId, call } = input;
  const key = executionKey(input.step, input.index, call.callId);
  const recorded = input.knownNew ? undefined : await deps.toolResults.get(runId, key);
  if (recorded) {
    return {
      result: { output: recorded.output, isError: recorded.isError, metadata: recorded.metadata ?? undefined },
      contextOutput: recorded.contextOutput ?? undefined,
    };
  }

  return inSpan(SPAN_NAMES.toolCall, {
    [SPAN_ATTRIBUTES.toolName]: call.toolName, [SPAN_ATTRIBUTES.toolCallId]: call.callId, [SPAN_ATTRIBUTES.runId]: runId, [SPAN_ATTRIBUTES.step]: input.step,
  }, (span) => gateAndRun(deps, input, key, span));
}

/** The gate's verdict, then (unless a human must decide) the call itself and the writes that record it. */
async function gateAndRun(deps: ToolExecutionDeps, input: ToolExecutionInput, key: string, span: Span | undefined): Promise<ToolExecution> {
  const { runId, tenantId, call } = input;
  let gate = await gateToolCall(deps, input, key);
  span?.setAttribute(SPAN_ATTRIBUTES.toolVerdict, gate.type);
  if (gate.type === 'run' && gate.safety) span?.setAttribute(SPAN_ATTRIBUTES.toolSafety, gate.safety.verdict);
  if (gate.type === 'review') return { review: gate.review };

  // A declared tool that is not read-only (MCP, HTTP) runs at most once: Keel cannot adopt its work
  // after a crash the way it adopts a bash job, so an attempt that finds the call started by an
  // earlier one (and no result) reports it interrupted instead of calling the tool again.
  const atMostOnce = input.atMostOnce === true && gate.type === 'run';
  if (atMostOnce && !input.knownNew && (await deps.events.recorded(runId, [`tool-call.started:${key}`])).length > 0) {
    gate = { type: 'refuse', result: interruptedResult(call.toolName) };
  }
  const startedAt = new Date();
  // Written while the tool runs: off the critical path, and ordered before its result (for an
  // at-most-once call it is durable before the call is made).
  const started = deps.events.record(runId, tenantId, [{
    type: RUN_EVENT_TYPES.toolCallStarted,
    data: { step: input.step, callId: call.callId, toolName: call.toolName, arguments: gate.type === 'run' ? gate.arguments : call.arguments },
    dedupeKey: `tool-call.started:${key}`,
  }]);
  if (atMostOnce && gate.type === 'run') await started;
  let result: ToolResult;
  let contextOutput: string | undefined;
  let finishedAt: Date;
  let sideEffectEvents: CheckedToolResult['events'];
  try {
    ({ result, events: sideEffectEvents } = gate.type === 'refuse' ? { result: gate.result, events: [] } : await runGatedTool(deps, input, key, gate));
    // The tool's own time; summarising its output belongs to the context.
    finishedAt = new Date();
    // A tool that ran is recorded whatever happens to its summary (a retry must not run it again).
    contextOutput = input.compress ? await input.compress(result.output, key).catch(() => undefined) : undefined;
  } finally {
    await started.catch(() => undefined);
  }
  span?.setAttribute(SPAN_ATTRIBUTES.toolIsError, result.isError);
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

/** What the model reads for a non-read-only declared call that an earlier attempt started and never finished. */
function interruptedResult(toolName: string): ToolResult {
  return {
    output: `${toolName} was interrupted: the worker running it stopped mid-call, so it may or may not have taken effect. It was not called again; check its effect before calling it once more.`,
    isError: true,
    metadata: { interrupted: true },
  };
}

async function runGatedTool(deps: ToolExecutionDeps, input: ToolExecutionInput, key: string, gate: Extract<ToolGate, { type: 'run' }>): Promise<CheckedToolResult> {
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
