// Plans one step's context incrementally: the whole transcript when it fits; else the stored summary
// reused when the transcript with its covered range left out still fits; else a new, wider cut whose
// dropped turns the caller summarises (the previous summary plus what is newly dropped). Every count
// is cached per message, so a step costs a pass of cache look-ups, not a re-encoding of the transcript.
import type { Message } from '../messages';
import type { ToolSpec } from '../tool-spec';
import { ContextOverflowError } from './context-overflow-error';
import { summaryMessage } from './context-summary';
import type { TokenCounter } from './token-counter';
import { trimToTokens } from './trim-to-tokens';
import { fitContext, type ContextBudgets, type FittedContext } from './truncate-context';

/** Most tokens a conversation summary may take in context. */
export const DEFAULT_SUMMARY_MAX_TOKENS = 1_000;

/**
 * A new cut aims this share below the input budget, so the following steps reuse its summary instead
 * of asking the small model again every step.
 */
export const DEFAULT_SUMMARY_HEADROOM = 0.2;

/** Slack between the reserved summary size and the size the real summary is trimmed to (token merges at its edges). */
const SUMMARY_EDGE_TOKENS = 2;

export type SequencedMessage = { seq: number; message: Message };

/** What a summary stands for: messages `fromSeq` through `throughSeq`, except the `keptSeqs` (pins, system, latest user). */
export type SummaryCoverage = { fromSeq: number; throughSeq: number; keptSeqs: readonly number[]; droppedCount: number };
/** `text` is empty for a placeholder cut: reused like a summary, but the next summary starts afresh. */
export type StoredSummary = SummaryCoverage & { text: string };

export type ContextPlanOptions = {
  /** The transcript, oldest first; message objects are treated as immutable (their counts are cached). */
  entries: readonly SequencedMessage[];
  counter: TokenCounter;
  contextWindow: number;
  reservedOutputTokens: number;
  budgets?: ContextBudgets;
  tools?: readonly ToolSpec[];
  /** The run's latest summary. */
  previous?: StoredSummary;
  summaryMaxTokens?: number;
  headroom?: number;
};

export type BuiltContext = { messages: Message[]; totalTokens: number };

export type ContextPlan =
  | ({ kind: 'whole' } & BuiltContext)
  | ({ kind: 'reused'; summary: StoredSummary; droppedCount: number; droppedTokens: number } & BuiltContext)
  | {
      kind: 'summarise';
      coverage: SummaryCoverage;
      /** Dropped messages the previous summary does not stand for: what the summariser must read. */
      newlyDropped: Message[];
      droppedTokens: number;
      /** Most tokens the summary may take (0: only the placeholder fits, do not ask for a summary). */
      summaryTokenLimit: number;
      /** The context with this summary text (trimmed to the limit), or the placeholder when undefined. */
      complete(text: string | undefined): BuiltContext;
    };

const summaryMessages = new WeakMap<StoredSummary, Message>();

/** One message object per stored summary, so its count is cached like any other message's. */
function summaryMessageOf(summary: StoredSummary): Message {
  let message = summaryMessages.get(summary);
  if (!message) {
    message = summaryMessage(summary.droppedCount, summary.text ? { text: summary.text } : undefined);
    summaryMessages.set(summary, message);
  }
  return message;
}

/** The whole transcript when it fits (the common case: one cached count per message), else undefined. */
export function wholeContext(options: Pick<ContextPlanOptions, 'entries' | 'counter' | 'contextWindow' | 'reservedOutputTokens' | 'tools'>): BuiltContext | undefined {
  const { entries, counter } = options;
  let total = counter.countRequest(undefined, [], options.tools ?? []);
  for (const entry of entries) total += counter.countMessage(entry.message);
  return total <= options.contextWindow - options.reservedOutputTokens ? { messages: entries.map((entry) => entry.message), totalTokens: total } : undefined;
}

export function planContext(options: ContextPlanOptions): ContextPlan {
  const { entries, counter, contextWindow, reservedOutputTokens, previous } = options;
  const tools = options.tools ?? [];
  const available = contextWindow - reservedOutputTokens;
  const fixed = counter.countRequest(undefined, [], tools);
  const costs = entries.map((entry) => counter.countMessage(entry.message));
  let total = fixed;
  for (const cost of costs) total += cost;
  if (total <= available) return { kind: 'whole', messages: entries.map((entry) => entry.message), totalTokens: total };
  if (previous) {
    const reused = reuseSummary(entries, costs, fixed, previous, counter);
    if (reused && reused.totalTokens <= available) return { kind: 'reused', summary: previous, ...reused };
  }
  return newCut(options, costs, available, tools);
}

function reuseSummary(entries: readonly SequencedMessage[], costs: readonly number[], fixed: number, previous: StoredSummary, counter: TokenCounter) {
  const kept = new Set(previous.keptSeqs);
  const latestUser = entries.findLastIndex((entry) => entry.message.type === 'user');
  const summary = summaryMessageOf(previous);
  const messages: Message[] = [];
  let totalTokens = fixed;
  let droppedCount = 0;
  let droppedTokens = 0;
  for (const [index, entry] of entries.entries()) {
    const covered = entry.seq >= previous.fromSeq && entry.seq <= previous.throughSeq && !kept.has(entry.seq);
    if (!covered) {
      messages.push(entry.message);
      totalTokens += costs[index] ?? 0;
      continue;
    }
    // What must survive never hides behind a summary.
    if (index === latestUser || entry.message.type === 'system') return undefined;
    if (droppedCount === 0) {
      messages.push(summary);
      totalTokens += counter.countMessage(summary);
    }
    droppedCount += 1;
    droppedTokens += costs[index] ?? 0;
  }
  return droppedCount === 0 ? undefined : { messages, totalTokens, droppedCount, droppedTokens };
}

function reserveText(tokens: number): string {
  // " summary" is one token in cl100k and o200k: the reserve is as long as the longest summary allowed.
  return ' summary'.repeat(Math.max(0, tokens));
}

function newCut(options: ContextPlanOptions, costs: readonly number[], available: number, tools: readonly ToolSpec[]): ContextPlan {
  const { entries, counter, contextWindow, reservedOutputTokens, previous } = options;
  const messages = entries.map((entry) => entry.message);
  const maxSummary = Math.max(0, Math.min(options.summaryMaxTokens ?? DEFAULT_SUMMARY_MAX_TOKENS, Math.floor(available / 10)));
  const reserve = maxSummary > 0 ? { text: reserveText(maxSummary) } : undefined;
  const headroom = Math.floor(available * (options.headroom ?? DEFAULT_SUMMARY_HEADROOM));
  const attempts = [
    { reserved: reservedOutputTokens + headroom, summary: reserve },
    { reserved: reservedOutputTokens, summary: reserve },
    { reserved: reservedOutputTokens, summary: undefined },
  ];
  let fitted: FittedContext | undefined;
  let summaryTokenLimit = 0;
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      fitted = fitContext({ messages, counter, contextWindow, reservedOutputTokens: attempt.reserved, budgets: options.budgets, summary: attempt.summary, tools });
      summaryTokenLimit = attempt.summary ? Math.max(0, counter.countText(attempt.summary.text) - SUMMARY_EDGE_TOKENS) : 0;
      break;
    } catch (error) {
      if (!(error instanceof ContextOverflowError)) throw error;
      lastError = error;
    }
  }
  if (!fitted) throw lastError;
  const range = fitted.droppedRange;
  if (!range) return { kind: 'whole', messages: fitted.messages, totalTokens: fitted.totalTokens };
  const keptObjects = new Set(fitted.messages);
  const keptSeqs: number[] = [];
  const newlyDropped: Message[] = [];
  let droppedTokens = 0;
  // A placeholder cut (empty text) summarised nothing: what it covered must be read now.
  const summarised = previous?.text ? previous : undefined;
  const previouslyKept = new Set(summarised?.keptSeqs ?? []);
  for (let index = range.from; index < range.to; index += 1) {
    const entry = entries[index]!;
    if (keptObjects.has(entry.message)) {
      keptSeqs.push(entry.seq);
      continue;
    }
    droppedTokens += costs[index] ?? 0;
    const covered = summarised !== undefined && entry.seq >= summarised.fromSeq && entry.seq <= summarised.throughSeq && !previouslyKept.has(entry.seq);
    if (!covered) newlyDropped.push(entry.message);
  }
  const inputs = new Set(messages);
  const summaryIndex = fitted.messages.findIndex((message) => !inputs.has(message));
  const coverage: SummaryCoverage = { fromSeq: entries[range.from]!.seq, throughSeq: entries[range.to - 1]!.seq, keptSeqs, droppedCount: fitted.droppedCount };
  const base = fitted;
  return {
    kind: 'summarise',
    coverage,
    newlyDropped,
    droppedTokens,
    summaryTokenLimit,
    complete(text) {
      const body = text === undefined || summaryTokenLimit === 0 ? '' : trimToTokens(counter, text.trim(), summaryTokenLimit);
      const result = [...base.messages];
      result[summaryIndex] = summaryMessage(coverage.droppedCount, body ? { text: body } : undefined);
      let totalTokens = counter.countRequest(undefined, result, tools);
      if (totalTokens > available) {
        // Cannot happen while the summary is no longer than the reserve; the placeholder is the last resort.
        result[summaryIndex] = summaryMessage(coverage.droppedCount, undefined);
        totalTokens = counter.countRequest(undefined, result, tools);
      }
      if (totalTokens > available) throw new ContextOverflowError(totalTokens, available, contextWindow, reservedOutputTokens);
      return { messages: result, totalTokens };
    },
  };
}
