// Fits a transcript into a model's input budget: keeps the system prompt, the latest user message,
// pinned messages and whole tool-call turns, and replaces one contiguous middle range with a summary.
import type { Message } from '../messages';
import type { ToolSpec } from '../tool-spec';
import { ContextOverflowError } from './context-overflow-error';
import { summaryMessage, type ContextSummary } from './context-summary';
import { groupIntoTurns, type Turn } from './conversation-turns';
import type { TokenCounter } from './token-counter';
import { selectTurns, widenDroppedRange, type TurnSelection } from './turn-selection';

/**
 * Shares of the input budget. The system prompt is always kept whatever its share; the recent share caps
 * the first, newest-first pass, and older context then takes everything left.
 */
export const DEFAULT_CONTEXT_BUDGETS = { system: 0.1, recent: 0.4, older: 0.5 } as const;
export type ContextBudgets = { system: number; recent: number; older: number };

export type FitContextOptions = {
  /** Oldest first, system messages first. Treated as immutable (counts are cached per message object). */
  messages: readonly Message[];
  counter: TokenCounter;
  contextWindow: number;
  reservedOutputTokens: number;
  budgets?: ContextBudgets;
  /** Indexes into `messages` that must survive, with the rest of their turn. */
  pinned?: ReadonlySet<number>;
  summary?: ContextSummary;
  /** A system prompt sent apart from `messages` (ModelRequest.system), counted against the budget. */
  system?: string;
  tools?: readonly ToolSpec[];
};

export type FittedContext = {
  messages: Message[];
  /** Input indexes `from` (inclusive) to `to` (exclusive) the summary stands for; pinned messages inside it were kept. */
  droppedRange?: { from: number; to: number };
  droppedCount: number;
  /** `counter.countRequest(system, messages, tools)` of the result. */
  totalTokens: number;
  /** Messages were dropped and no summary was given: summarise `droppedRange` and call again. */
  needsSummary: boolean;
};

function sumOf(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function recentShare(budgets: ContextBudgets): number {
  const whole = budgets.system + budgets.recent + budgets.older;
  return whole > 0 ? Math.max(0, budgets.recent) / whole : DEFAULT_CONTEXT_BUDGETS.recent;
}

function assemble(
  messages: readonly Message[],
  headCount: number,
  turns: readonly Turn[],
  mandatory: readonly boolean[],
  selection: TurnSelection,
  summary: ContextSummary | undefined,
): Omit<FittedContext, 'totalTokens' | 'needsSummary'> {
  const dropped = turns.filter((_, index) => index >= selection.keptPrefix && index < selection.suffixStart && !mandatory[index]);
  const droppedSet = new Set(dropped);
  const first = dropped[0];
  const last = dropped.at(-1);
  const droppedCount = sumOf(dropped.map((turn) => turn.end - turn.start));
  const result = messages.slice(0, headCount);
  for (const turn of turns) {
    if (turn === first) result.push(summaryMessage(droppedCount, summary));
    if (!droppedSet.has(turn)) result.push(...messages.slice(turn.start, turn.end));
  }
  const droppedRange = first && last ? { from: first.start, to: last.end } : undefined;
  return { messages: result, droppedRange, droppedCount };
}

export function fitContext(options: FitContextOptions): FittedContext {
  const { messages, counter, contextWindow, reservedOutputTokens, summary, system } = options;
  const tools = options.tools ?? [];
  const available = contextWindow - reservedOutputTokens;
  const overflow = (required: number) => new ContextOverflowError(required, available, contextWindow, reservedOutputTokens);
  const fixed = counter.countRequest(system, [], tools);
  const costs = messages.map((message) => counter.countMessage(message));
  const total = fixed + sumOf(costs);
  if (total <= available) return { messages: [...messages], droppedCount: 0, totalTokens: total, needsSummary: false };

  const { headCount, turns } = groupIntoTurns(messages);
  const latestUser = messages.findLastIndex((message) => message.type === 'user');
  const pinned = options.pinned ?? new Set<number>();
  const mandatory = turns.map((turn) => {
    for (let index = turn.start; index < turn.end; index += 1) {
      if (index === latestUser || pinned.has(index) || messages[index]?.type === 'system') return true;
    }
    return false;
  });
  const turnCosts = turns.map((turn) => sumOf(costs.slice(turn.start, turn.end)));
  const required = fixed + sumOf(costs.slice(0, headCount)) + sumOf(turnCosts.filter((_, index) => mandatory[index]));
  // Sized for the most messages that could be dropped, so the real summary's count is no larger.
  const droppable = sumOf(turns.map((turn, index) => (mandatory[index] ? 0 : turn.end - turn.start)));
  const summaryReserve = counter.countMessage(summaryMessage(droppable, summary));
  if (required + summaryReserve > available) throw overflow(required + summaryReserve);

  let selection: TurnSelection | undefined = selectTurns({
    costs: turnCosts,
    mandatory,
    spareTokens: available - required - summaryReserve,
    recentTokens: Math.floor(available * recentShare(options.budgets ?? DEFAULT_CONTEXT_BUDGETS)),
  });
  // The final count decides; should the summary still not fit, drop one more turn and count again.
  while (selection) {
    const fitted = assemble(messages, headCount, turns, mandatory, selection, summary);
    const totalTokens = counter.countRequest(system, fitted.messages, tools);
    if (totalTokens <= available) return { ...fitted, totalTokens, needsSummary: summary === undefined };
    selection = widenDroppedRange(selection, mandatory);
  }
  throw overflow(required + summaryReserve);
}
