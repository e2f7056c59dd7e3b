// One agent step as one activity: append new user input, call the model (or reuse the reply an
// earlier attempt recorded), run its tool calls exactly once, append their results. Fusing these
// keeps a step to one workflow task round trip (see docs/decisions/0001-one-activity-per-step.md);
// every write is keyed so a retried step redoes nothing that already happened.
import { Context } from '@temporalio/activity';
import { RUN_EVENT_TYPES, type NewRunEvent } from '../core/events';
import { addUsage, textOf, toolCallsOf, ZERO_USAGE, type AssistantMessage, type Message, type Usage } from '../core/messages';
import type { ModelCatalog } from '../core/model-catalog';
import type { ModelSpec } from '../core/model-spec';
import type { ModelProvider } from '../providers/types';
import type { RunsRepository } from '../stores/runs-repository';
import type { TranscriptEntry } from '../stores/transcript-repository';
import type { EventRecorder } from './event-recorder';
import { callModel } from './model-call';
import type { StepInput, StepOutput, ToolCallSummary } from './step-types';
import { executeToolCall, type ToolExecutionDeps } from './tool-execution';
import type { TranscriptCache } from './transcript-cache';

export type RunStepDeps = ToolExecutionDeps & {
  catalog: ModelCatalog;
  providerFor: (spec: ModelSpec) => ModelProvider;
  transcripts: TranscriptCache;
  runs: RunsRepository;
  events: EventRecorder;
};

export const ANSWER_PREVIEW_CHARS = 2000;

type AssistantRecord = { message: AssistantMessage; usage: Usage };

export async function runStep(deps: RunStepDeps, input: StepInput): Promise<StepOutput> {
  const { runId, tenantId, step } = input;
  const spec = deps.catalog.resolve(input.modelId);
  const transcript = await deps.transcripts.load(runId, input.transcriptSeq, Context.current().info.attempt > 1);
  await appendInput(deps, input, transcript);

  const assistantKey = `assistant:${step}`;
  const earlier = transcript.entries.find((entry) => entry.sourceKey === assistantKey);
  // A retry reuses the reply an earlier attempt recorded, with the usage it recorded.
  const reply: AssistantRecord = earlier
    ? { message: earlier.message as AssistantMessage, usage: (earlier.message as AssistantMessage).usage ?? ZERO_USAGE }
    : await callAndRecord(deps, input, spec, transcript);
  const usageTotal = addUsage(input.usageSoFar, reply.usage);

  const calls = toolCallsOf(reply.message);
  if (calls.length === 0) {
    await deps.runs.recordProgress(runId, { status: 'running', step, usage: usageTotal });
    const answer = textOf(reply.message);
    await deps.events.record(runId, tenantId, [{
      type: RUN_EVENT_TYPES.finalAnswer, data: { step, model: spec.id, text: answer }, dedupeKey: `answer.final:${step}`,
    }]);
    return { kind: 'final', modelId: spec.id, usage: reply.usage, toolCalls: [], transcriptSeq: transcript.lastSeq, answerPreview: answer.slice(0, ANSWER_PREVIEW_CHARS) };
  }

  const signal = Context.current().cancellationSignal;
  const summaries: ToolCallSummary[] = [];
  const results: TranscriptEntry[] = [];
  for (const [index, call] of calls.entries()) {
    const result = await executeToolCall(deps, { runId, tenantId, userId: input.userId, step, index, call, allowedTools: input.tools, signal });
    summaries.push({ callId: call.callId, toolName: call.toolName, isError: result.isError });
    results.push({
      seq: transcript.lastSeq + results.length + 1,
      step,
      sourceKey: `tool:${step}:${index}`,
      message: { type: 'tool-result', callId: call.callId, toolName: call.toolName, output: result.output, isError: result.isError },
    });
  }
  // A cancelled step's results stay in the audit table but never reach the transcript.
  if (signal.aborted) throw Context.current().cancellationSignal.reason ?? new Error('step cancelled');
  const pendingResults = results.filter((entry) => !transcript.entries.some((existing) => existing.sourceKey === entry.sourceKey));
  await deps.transcripts.append(runId, tenantId, transcript, pendingResults);
  await deps.runs.recordProgress(runId, { status: 'running', step, usage: usageTotal });
  return { kind: 'tool-calls', modelId: spec.id, usage: reply.usage, toolCalls: summaries, transcriptSeq: transcript.lastSeq };
}

/** Seeds the transcript on the first step and appends user messages that arrived since the last one. */
async function appendInput(deps: RunStepDeps, input: StepInput, transcript: Awaited<ReturnType<TranscriptCache['load']>>): Promise<void> {
  const candidates: Array<{ sourceKey: string; message: Message }> = [];
  if (input.seed) {
    if (input.seed.instructions) candidates.push({ sourceKey: 'system', message: { type: 'system', text: input.seed.instructions } });
    candidates.push({ sourceKey: 'user:first', message: { type: 'user', text: input.seed.firstMessage } });
  }
  for (const pending of input.newMessages) candidates.push({ sourceKey: `user:${pending.id}`, message: { type: 'user', text: pending.text } });
  const seen = new Set(transcript.entries.map((entry) => entry.sourceKey));
  const entries = candidates
    .filter((candidate) => !seen.has(candidate.sourceKey))
    .map((candidate, offset) => ({ ...candidate, seq: transcript.lastSeq + offset + 1, step: input.step }));
  if (entries.length === 0) return;
  await deps.transcripts.append(input.runId, input.tenantId, transcript, entries);
  if (input.seed) await deps.runs.recordProgress(input.runId, { status: 'running', step: input.step, usage: input.usageSoFar });
  const events: NewRunEvent[] = entries.map((entry) => ({
    type: RUN_EVENT_TYPES.messageReceived,
    data: { step: input.step, role: entry.message.type, text: 'text' in entry.message ? entry.message.text.slice(0, 500) : '' },
    dedupeKey: `message.received:${entry.sourceKey}`,
  }));
  if (input.seed) events.unshift({ type: RUN_EVENT_TYPES.runStarted, data: { models: [input.modelId], tools: input.tools }, dedupeKey: 'run.started' });
  await deps.events.record(input.runId, input.tenantId, events);
}

async function callAndRecord(
  deps: RunStepDeps,
  input: StepInput,
  spec: ModelSpec,
  transcript: Awaited<ReturnType<TranscriptCache['load']>>,
): Promise<AssistantRecord> {
  const { runId, tenantId, step } = input;
  const attempt = Context.current().info.attempt;
  await deps.events.record(runId, tenantId, [{ type: RUN_EVENT_TYPES.modelCallStarted, data: { step, model: spec.id, attempt } }]);
  const startedAt = Date.now();
  const response = await callModel(deps.providerFor(spec), deps.events, {
    runId, tenantId, step, spec,
    transcript: transcript.entries.map((entry) => entry.message),
    tools: deps.tools.specs(input.tools),
    stream: input.stream,
    signal: Context.current().cancellationSignal,
  });
  const message: AssistantMessage = { ...response.message, model: spec.id, usage: response.usage };
  await deps.transcripts.append(runId, tenantId, transcript, [{ seq: transcript.lastSeq + 1, step, sourceKey: `assistant:${step}`, message }]);
  const calls = toolCallsOf(message);
  await deps.events.record(runId, tenantId, [{
    type: RUN_EVENT_TYPES.modelCallFinished,
    data: {
      step, model: spec.id, attempt, usage: response.usage, finishReason: response.finishReason, latencyMs: Date.now() - startedAt,
      toolCalls: calls.map((call) => ({ callId: call.callId, toolName: call.toolName })),
    },
    dedupeKey: `model-call.finished:${step}`,
  }]);
  return { message, usage: response.usage };
}
