// One agent step: append new user input, call the model (or reuse the reply an earlier attempt
// recorded), run its tool calls exactly once, append their results. Every write is keyed so a
// retried step redoes nothing that already happened, and a step's writes go out in as few
// statements as possible: two round trips on the critical path for a one-tool step
// (docs/decisions/0001-one-activity-per-step.md, 0002-local-first-steps.md).
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import { addUsage, textOf, toolCallsOf, ZERO_USAGE, type Message } from '../../core/messages';
import { userRequestOf } from '../../core/judgement';
import { recallForFirstStep } from './note-recall';
import { RECALL_SOURCE_KEY } from '../../core/memory';
import type { ModelCatalog } from '../../core/model-catalog';
import type { SemanticMemory } from '../../stores/notes';
import type { TranscriptEntry } from '../../stores/transcript-repository';
import { callAndRecord, finalAnswerWrites, recordedReply, type AssistantRecord, type ModelReplyDeps } from '../model-turn/model-reply';
import { modelSelectedEvent } from '../plan-models';
import { openReview, type ReviewDeps } from '../review-activities';
import { applySideEffectDecision, changesAwaitingReview, sideEffectsReviewRequest, sideEffectsSubject } from '../tool-turn/side-effect-review';
import type { StepContext } from '../records/step-context';
import type { StepInput, StepOutput, ToolCallSummary } from '../contract';
import { executeToolCall, executionKey, type ToolExecutionDeps } from '../tool-turn/tool-execution';
import { throwIfAbandoned } from '../../tools/attempt-abandoned';
import type { CachedTranscript, TranscriptCache } from '../records/transcript-cache';
import { withMcpTools, type McpConnections } from '../tool-turn/mcp-tools';
import { withDeclaredTools, type RunTools } from '../tool-turn/run-tools';
import { checkOutput } from '../../core/run-output';
import type { SimilarQueries } from './similar-query';
import { startFork, type ForkStartDeps } from './fork-start';
import { WORKSPACE_CHANGING_TOOLS } from '../../core/run-fork';
import { takeStepSnapshot } from '../tool-turn/snapshots/step-snapshots';

export type RunStepDeps = ToolExecutionDeps & ModelReplyDeps & Pick<ReviewDeps, 'reviews'> & {
  catalog: ModelCatalog;
  transcripts: TranscriptCache;
  /** Semantic memory for automatic recall on a run's first step; absent: no recall. */
  memory?: SemanticMemory;
  /** MCP servers the run declares; absent: built-in tools only. */
  mcp?: McpConnections;
  /** The run's declared tools (get_skill, HTTP tools); absent: none. */
  runTools?: RunTools;
  /** Similar-query dedupe on a run's first step (when its policy turns it on); absent: none. */
  similarQueries?: SimilarQueries;
  /** Restores a fork's workspace on its first step (activities/step/fork-start.ts); absent: forks start with an empty workspace. */
  forks?: Omit<ForkStartDeps, 'workspaces'>;
};

export const ANSWER_PREVIEW_CHARS = 2000;
/** Schema errors a step reports to the workflow (and the model reads back). */
export const MAX_OUTPUT_ERRORS = 20;

export async function runStep(stepDeps: RunStepDeps, stepInput: StepInput, context: StepContext): Promise<StepOutput> {
  const output = await runStepCalls(stepDeps, stepInput, context);
  return withLedgerCost(stepDeps, stepInput, output);
}

/**
 * A run with a budget learns, in the step's cost, what it spent on every purpose since the last
 * step (predictions in this step, a reflection before it): the ledger's total less what the
 * workflow counted, so its `budget_exceeded` check and outcome see every call. Without a budget no
 * query is made; the run's final cost is read from the ledger when it finishes (finish-run.ts).
 */
async function withLedgerCost(deps: RunStepDeps, input: StepInput, output: StepOutput): Promise<StepOutput> {
  if (input.budget?.maxCostPerRun === undefined || !deps.ledger) return output;
  const spent = await deps.ledger.runCost(input.runId);
  const sinceLastStep = spent - (input.costSoFar ?? 0);
  return sinceLastStep > (output.costUsd ?? 0) ? { ...output, costUsd: sinceLastStep } : output;
}

async function runStepCalls(stepDeps: RunStepDeps, stepInput: StepInput, context: StepContext): Promise<StepOutput> {
  // The run's MCP tools join the registry and the allow-list for this step only (the workflow's
  // input names built-in tools; MCP tools are found on the worker, so histories do not change).
  // Skills and HTTP tools join the same way.
  const mcp = stepDeps.mcp ? await stepDeps.mcp.forRun(stepInput.tenantId, stepInput.runId) : undefined;
  const declared = stepDeps.runTools ? await stepDeps.runTools.forRun(stepInput.tenantId, stepInput.runId) : [];
  const output = stepDeps.runTools ? (await stepDeps.runTools.extrasOf(stepInput.tenantId, stepInput.runId)).output : undefined;
  const declaredRisks = new Map([...(mcp?.tools.map((tool) => [tool.name, tool.risk] as const) ?? []), ...declared.map((tool) => [tool.definition.name, tool.risk] as const)]);
  const sideEffecting = new Set([...(mcp?.tools ?? []).filter((tool) => !tool.readOnly).map((tool) => tool.name), ...declared.filter((tool) => !tool.readOnly).map((tool) => tool.definition.name)]);
  const withMcp = mcp && stepDeps.mcp && mcp.tools.length > 0 ? withMcpTools(stepDeps.tools, stepDeps.mcp, mcp) : stepDeps.tools;
  const deps: RunStepDeps = declaredRisks.size > 0 ? { ...stepDeps, tools: withDeclaredTools(withMcp, declared) } : stepDeps;
  const input: StepInput = declaredRisks.size > 0 ? { ...stepInput, tools: [...stepInput.tools, ...declaredRisks.keys()] } : stepInput;
  if (mcp && mcp.errors.length > 0) deps.logger?.warn({ runId: input.runId, errors: mcp.errors }, 'MCP servers unreachable this step; their tools are left out');
  const { runId, tenantId, step } = input;
  const spec = deps.catalog.resolve(input.modelId);
  const transcript = await deps.transcripts.load(runId, input.transcriptSeq, context.attempt > 1);
  // The pool's decision rides along with the step's first write; whichever write comes first takes it.
  const announcements = input.selection ? [modelSelectedEvent(step, input.selection.data)] : [];
  const forked = deps.forks ? await startFork({ ...deps.forks, workspaces: deps.workspaces }, input, transcript) : undefined;
  await appendInput(deps, input, transcript, announcements, forked);
  // A run that took more user messages answers more than its first request: not one to reuse.
  if (input.newMessages.length > 0) await deps.similarQueries?.tookMoreMessages(tenantId, runId);

  const earlier = transcript.entries.find((entry) => entry.sourceKey === `assistant:${step}`);
  // A retry reuses the reply an earlier attempt recorded, with the usage it recorded.
  const reused: AssistantRecord | undefined = earlier?.message.type === 'assistant' ? recordedReply(deps, earlier.message) : undefined;
  // A step resumed after a review already counted its reply's usage when it first paused.
  const reply: AssistantRecord = reused && input.resume
    ? { ...reused, usage: ZERO_USAGE, costUsd: 0 }
    : reused
      ?? (input.newMessages.length === 0 ? await deps.similarQueries?.reply(deps, input, spec.id, transcript, announcements, output) : undefined)
      ?? await callAndRecord(deps, input, spec, transcript, context, announcements, output);
  const usageTotal = addUsage(input.usageSoFar, reply.usage);
  const costUsd = (input.costSoFar ?? 0) + reply.costUsd;
  const calls = toolCallsOf(reply.message);
  if (calls.length === 0) {
    const answer = textOf(reply.message);
    // A fresh reply wrote these with itself; an earlier attempt's did not get that far.
    if (!reply.fresh) await deps.recorder.commit(runId, tenantId, transcript, finalAnswerWrites(step, spec.id, reply.message, { usage: usageTotal, costUsd }, output));
    const check = output ? checkOutput(output, answer) : undefined;
    return {
      kind: 'final', modelId: spec.id, usage: reply.usage, costUsd: reply.costUsd, toolCalls: [], transcriptSeq: transcript.lastSeq, answerPreview: answer.slice(0, ANSWER_PREVIEW_CHARS),
      ...(check && !check.valid && { outputErrors: check.errors.slice(0, MAX_OUTPUT_ERRORS).map((error) => error.slice(0, 300)) }),
    };
  }

  const summaries: ToolCallSummary[] = [];
  const results: TranscriptEntry[] = [];
  const request = userRequestOf(transcript.entries, (entry) => entry.message);
  for (const [index, call] of calls.entries()) {
    const last = index === calls.length - 1;
    const executed = await executeToolCall(deps, {
      runId, tenantId, userId: input.userId, step, index, call, allowedTools: input.tools,
      signal: context.signal, heartbeat: context.heartbeat, knownNew: reply.fresh, deferRecord: last,
      reviewDecisions: input.reviewDecisions,
      modelId: spec.id, request, declaredRisk: declaredRisks.get(call.toolName), atMostOnce: sideEffecting.has(call.toolName),
      compress: (output, reference) => deps.context.compressToolOutput({
        runId, tenantId, step, spec, toolName: call.toolName, toolArguments: call.arguments, output, reference, runTools: input.tools, signal: context.signal, heartbeat: context.heartbeat,
      }),
    });
    if (executed.review) {
      // The calls before this one ran and are recorded; this one and the rest wait for a human.
      const policy = await deps.policies.forRun(tenantId, runId);
      const review = await openReview({ reviews: deps.reviews, events: deps.events }, {
        runId, tenantId, userId: input.userId, kind: 'tool-call', step, timeoutSeconds: policy.review.timeoutSeconds, ...executed.review,
      });
      return { kind: 'review', modelId: spec.id, usage: reply.usage, costUsd: reply.costUsd, toolCalls: summaries, transcriptSeq: transcript.lastSeq, review };
    }
    // Unexpected changes under the `review` policy: the call ran; a human keeps or rolls them back.
    let reviewNote = '';
    const changes = changesAwaitingReview(executed.result);
    if (changes) {
      const key = executionKey(step, index, call.callId);
      const decision = input.reviewDecisions?.find((candidate) => candidate.subjectKey === sideEffectsSubject(key));
      if (!decision) {
        if (executed.deferred) await deps.recorder.commit(runId, tenantId, transcript, executed.deferred);
        const policy = await deps.policies.forRun(tenantId, runId);
        const review = await openReview({ reviews: deps.reviews, events: deps.events }, {
          runId, tenantId, userId: input.userId, kind: 'side-effects', step, timeoutSeconds: policy.review.timeoutSeconds,
          ...sideEffectsReviewRequest(key, call.toolName, call.arguments, changes),
        });
        return { kind: 'review', modelId: spec.id, usage: reply.usage, costUsd: reply.costUsd, toolCalls: summaries, transcriptSeq: transcript.lastSeq, review };
      }
      reviewNote = await applySideEffectDecision(deps.events, { runId, tenantId, step, executionKey: key, toolName: call.toolName }, changes, decision);
    }
    summaries.push({ callId: call.callId, toolName: call.toolName, isError: executed.result.isError });
    results.push({
      seq: transcript.lastSeq + results.length + 1,
      step,
      sourceKey: `tool:${step}:${index}`,
      // An oversized output is summarised here, once: later steps send the summary and its reference.
      message: { type: 'tool-result', callId: call.callId, toolName: call.toolName, output: (executed.contextOutput ?? executed.result.output) + reviewNote, isError: executed.result.isError },
    });
    // A cancelled step keeps its audit records but never reaches the transcript; an abandoned
    // attempt records nothing more (the live attempt records the call's real result).
    throwIfAbandoned(context.signal);
    if (context.signal.aborted) {
      if (executed.deferred) await deps.recorder.commit(runId, tenantId, transcript, executed.deferred);
      throw context.signal.reason ?? new Error('step cancelled');
    }
    if (last) {
      const pending = results.filter((entry) => !transcript.entries.some((existing) => existing.sourceKey === entry.sourceKey));
      // The workspace as the step's calls left it, for a fork from this step (after all its results);
      // a step of read-only calls left the workspace of the step before it (core/run-fork.ts).
      const changing = calls.some((candidate) => WORKSPACE_CHANGING_TOOLS.has(candidate.toolName));
      const keep = changing && (await deps.policies.forRun(tenantId, runId)).stepSnapshots !== false;
      const stepSnapshot = keep ? await takeStepSnapshot(deps.sideEffects, await deps.workspaces.forRun(tenantId, runId), step) : undefined;
      await deps.recorder.commit(runId, tenantId, transcript, {
        ...executed.deferred,
        messages: pending,
        progress: { status: 'running', step, usage: usageTotal, costUsd },
        ...(stepSnapshot && { stepSnapshot }),
      });
    }
  }
  return { kind: 'tool-calls', modelId: spec.id, usage: reply.usage, costUsd: reply.costUsd, toolCalls: summaries, transcriptSeq: transcript.lastSeq };
}

/**
 * Seeds the transcript on the first step and appends user messages that arrived since the last one.
 * A fork's first step (`forked`) starts the run like a seed does, on its parent's transcript.
 */
async function appendInput(deps: RunStepDeps, input: StepInput, transcript: CachedTranscript, announcements: NewRunEvent[], forked?: NewRunEvent): Promise<void> {
  const candidates: Array<{ sourceKey: string; message: Message }> = [];
  if (input.seed) {
    if (input.seed.instructions) candidates.push({ sourceKey: 'system', message: { type: 'system', text: input.seed.instructions } });
    candidates.push({ sourceKey: 'user:first', message: { type: 'user', text: input.seed.firstMessage } });
  }
  const seen = new Set(transcript.entries.map((entry) => entry.sourceKey));
  // Recall joins the seed's own write, so a retry after it never appends it out of place.
  if (input.seed && !seen.has('user:first')) {
    const recalled = await recallForFirstStep(deps, input, input.seed.firstMessage);
    if (recalled) candidates.push({ sourceKey: RECALL_SOURCE_KEY, message: { type: 'system', text: recalled } });
  }
  for (const pending of input.newMessages) candidates.push({ sourceKey: `user:${pending.id}`, message: { type: 'user', text: pending.text } });
  const entries = candidates
    .filter((candidate) => !seen.has(candidate.sourceKey))
    .map((candidate, offset) => ({ ...candidate, seq: transcript.lastSeq + offset + 1, step: input.step }));
  if (entries.length === 0 && !forked) return;
  const starting = input.seed !== undefined || forked !== undefined;
  const events: NewRunEvent[] = entries.map((entry) => ({
    type: RUN_EVENT_TYPES.messageReceived,
    data: { step: input.step, role: entry.message.type, text: 'text' in entry.message ? entry.message.text.slice(0, 500) : '' },
    dedupeKey: `message.received:${entry.sourceKey}`,
  }));
  if (starting) {
    const pooled = input.selection ? { models: input.selection.models, complexity: input.selection.complexity } : { models: [input.modelId] };
    events.unshift({ type: RUN_EVENT_TYPES.runStarted, data: { ...pooled, tools: input.tools }, dedupeKey: 'run.started' }, ...(forked ? [forked] : []));
  }
  events.push(...announcements.splice(0));
  await deps.recorder.commit(input.runId, input.tenantId, transcript, {
    messages: entries,
    events,
    progress: starting ? { status: 'running', step: input.step, usage: input.usageSoFar } : undefined,
  });
}
