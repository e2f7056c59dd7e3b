// Context management for a step: the model's window and tokenizer, the context sent on every call
// (core/context planContext: whole, reusing the run's summary, or a new cut summarised by the small
// model and stored), oversized tool outputs summarised at record time, and calibration from usage.
import {
  compressedOutput,
  contextWindowOf,
  conversationSummaryRequest,
  createTokenCounter,
  DEFAULT_CONTEXT_SETTINGS,
  fallbackOutputSummary,
  planContext,
  wholeContext,
  READ_TOOL_OUTPUT_TOOL_NAME,
  referenceLine,
  toolOutputSummaryRequest,
  trimToTokens,
  type ContextSettings,
  type TokenCounter,
} from '../../core/context';
import { RUN_EVENT_TYPES, type NewRunEvent, type RunEventData } from '../../core/events';
import type { Message, Usage } from '../../core/messages';
import { MODEL_CALL_PURPOSES } from '../../core/model-call-purposes';
import type { ModelPool } from '../../core/model-pool';
import { DEFAULT_MAX_OUTPUT_TOKENS, type ModelSpec } from '../../core/model-spec';
import type { ToolSpec } from '../../core/tool-spec';
import type { Logger } from '../../runtime/logger';
import type { ContextSummaries } from './context-summaries';
import type { SummaryWriter } from './summary-writer';
import type { WorkerCalibration } from './token-calibrations';
import type { CachedTranscript } from '../records/transcript-cache';

export type ContextManagerDeps = {
  settings?: ContextSettings;
  pool?: ModelPool;
  calibration: WorkerCalibration;
  summaries: ContextSummaries;
  writer: SummaryWriter;
  logger?: Logger;
};

export type StepContextInput = {
  runId: string;
  tenantId: string;
  step: number;
  spec: ModelSpec;
  transcript: CachedTranscript;
  tools: readonly ToolSpec[];
  signal?: AbortSignal;
  heartbeat?: () => void;
  /** A retry reads the stored summary again: another attempt may have written one. */
  retry?: boolean;
};

export type ModelContext = {
  messages: Message[];
  /** What Keel counted for the request (for calibration and admission). */
  totalTokens: number;
  counter: TokenCounter;
  /** `context.truncated`, when anything was cut. */
  event?: NewRunEvent;
  /** The new summary's write, if any: awaited before the step commits. */
  pendingWrite?: Promise<void>;
};

export class ContextManager {
  readonly settings: ContextSettings;

  constructor(private readonly deps: ContextManagerDeps) {
    this.settings = deps.settings ?? DEFAULT_CONTEXT_SETTINGS;
  }

  counterFor(spec: ModelSpec): TokenCounter {
    return createTokenCounter(spec.model, spec.provider, { calibration: this.deps.calibration.calibration });
  }

  windowFor(spec: ModelSpec): number {
    return contextWindowOf({ model: spec.model, contextWindow: spec.contextWindow ?? this.deps.pool?.model(spec.id)?.contextWindow }, this.settings.defaultContextWindow);
  }

  /** What the provider is asked to leave for output (the thinking budget is spent within it). */
  reservedOutputFor(spec: ModelSpec): number {
    const requested = spec.maxOutputTokens ?? this.deps.pool?.model(spec.id)?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    const budget = spec.thinkingBudgetTokens;
    return budget !== undefined && requested <= budget ? budget + requested : requested;
  }

  /** The messages to send: never more than the window minus reserved output (estimates include their margin). */
  async build(input: StepContextInput): Promise<ModelContext> {
    await this.deps.calibration.ready();
    const { spec, transcript, runId, tenantId } = input;
    const counter = this.counterFor(spec);
    const contextWindow = this.windowFor(spec);
    const reservedOutputTokens = this.reservedOutputFor(spec);
    const base = { counter, contextWindow, reservedOutputTokens, budgets: this.settings.budgets, tools: input.tools, summaryMaxTokens: this.settings.summaryMaxTokens };
    const whole = wholeContext({ ...base, entries: transcript.entries });
    if (whole) return { ...whole, counter };
    // Only a run that outgrew its window reads its summary (once per worker; cached after that).
    const previous = await this.deps.summaries.latest(tenantId, runId, input.retry);
    // Throws ContextOverflowError when what must be kept alone exceeds the window.
    const plan = planContext({ ...base, entries: transcript.entries, previous });
    if (plan.kind === 'whole') return { messages: plan.messages, totalTokens: plan.totalTokens, counter };
    const common = { step: input.step, model: spec.id, contextWindow, reservedOutputTokens, transcriptMessages: transcript.entries.length };
    if (plan.kind === 'reused') {
      return {
        messages: plan.messages, totalTokens: plan.totalTokens, counter,
        event: this.truncatedEvent({ ...common, totalTokens: plan.totalTokens, keptMessages: plan.messages.length - 1, droppedMessages: plan.droppedCount, droppedTokens: plan.droppedTokens, summary: 'reused' }),
      };
    }
    const written = plan.summaryTokenLimit > 0
      ? await this.deps.writer.write({
        tenantId, runId, stepSpec: spec, signal: input.signal, heartbeat: input.heartbeat,
        attribution: { step: input.step, purpose: MODEL_CALL_PURPOSES.summary, detail: spec.id },
      }, conversationSummaryRequest(previous?.text || undefined, plan.newlyDropped, plan.summaryTokenLimit), plan.summaryTokenLimit)
      : undefined;
    const built = plan.complete(written?.text);
    // A placeholder cut is stored too (empty text), so the next steps reuse it instead of cutting
    // and asking again every step; the next new cut asks the small model afresh.
    const storedText = written ? trimToTokens(counter, written.text.trim(), plan.summaryTokenLimit) : '';
    const pendingWrite = this.deps.summaries.save(tenantId, runId, { ...plan.coverage, text: storedText, model: written?.model ?? 'placeholder' })
      .catch((error: unknown) => this.deps.logger?.warn({ err: error, runId }, 'could not store a context summary'));
    return {
      messages: built.messages, totalTokens: built.totalTokens, counter, pendingWrite,
      event: this.truncatedEvent({
        ...common, totalTokens: built.totalTokens, keptMessages: built.messages.length - 1,
        droppedMessages: plan.coverage.droppedCount, droppedTokens: plan.droppedTokens,
        summary: written ? 'new' : 'placeholder', ...(written && { summaryModel: written.model }),
      }),
    };
  }

  /** Learns the tokenizer ratio of estimated models from what the provider billed; warns when the estimate was short. */
  recordUsage(spec: ModelSpec, context: Pick<ModelContext, 'counter' | 'totalTokens'>, usage: Usage): void {
    if (context.counter.exact || !(usage.inputTokens > 0)) return;
    if (usage.inputTokens > context.totalTokens) {
      this.deps.logger?.warn({ model: spec.id, estimatedTokens: context.totalTokens, reportedTokens: usage.inputTokens }, 'the provider counted more input tokens than the calibrated estimate');
    }
    this.deps.calibration.record(spec.model, context.totalTokens, usage.inputTokens);
  }

  /**
   * The transcript's version of an oversized tool output (summary + reference line), or undefined when
   * it fits. read_tool_output's own pages are never compressed: that is how the model reads the rest.
   */
  async compressToolOutput(input: { runId: string; tenantId: string; step: number; spec: ModelSpec; toolName: string; toolArguments: Record<string, unknown>; output: string; reference: string; runTools: readonly string[]; signal?: AbortSignal; heartbeat?: () => void }): Promise<string | undefined> {
    const limit = this.settings.toolOutputTokenLimit;
    if (input.toolName === READ_TOOL_OUTPUT_TOOL_NAME) return undefined;
    await this.deps.calibration.ready();
    const counter = this.counterFor(input.spec);
    // A token is at least one character: short outputs are skipped without encoding them.
    if (input.output.length * counter.factor() <= limit) return undefined;
    const tokens = counter.countText(input.output);
    if (tokens <= limit) return undefined;
    const readable = input.runTools.includes(READ_TOOL_OUTPUT_TOOL_NAME);
    const room = Math.max(16, limit - counter.countText(referenceLine(input.reference, tokens, readable)) - 4);
    // Even a cancelled step records what its tool did: the head of the output stands in then.
    const written = await this.deps.writer.write(
      {
        tenantId: input.tenantId, runId: input.runId, stepSpec: input.spec, signal: input.signal, heartbeat: input.heartbeat,
        attribution: { step: input.step, purpose: MODEL_CALL_PURPOSES.compression, detail: input.reference },
      },
      toolOutputSummaryRequest(input.toolName, input.toolArguments, input.output, room),
      room,
    ).catch(() => undefined);
    const summary = trimToTokens(counter, written?.text ?? fallbackOutputSummary(input.output), room);
    return compressedOutput(summary, input.reference, tokens, readable);
  }

  private truncatedEvent(data: RunEventData<'context.truncated'>): NewRunEvent {
    return { type: RUN_EVENT_TYPES.contextTruncated, data, dedupeKey: `context.truncated:${data.step}` };
  }
}
