// How a worker manages context, with its defaults: the window of unknown models, budgets, the size
// above which tool outputs are summarised, and how long summaries may be. Read from the environment
// by core/config.ts (KEEL_DEFAULT_CONTEXT_WINDOW, KEEL_CONTEXT_BUDGETS, KEEL_TOOL_OUTPUT_TOKEN_LIMIT,
// KEEL_SUMMARY_MAX_TOKENS).
import { DEFAULT_TOOL_RESULT_TOKEN_LIMIT } from './compress-tool-results';
import { DEFAULT_SUMMARY_MAX_TOKENS } from './context-plan';
import { DEFAULT_CONTEXT_WINDOW } from './context-windows';
import { DEFAULT_CONTEXT_BUDGETS, type ContextBudgets } from './truncate-context';

export type ContextSettings = {
  /** Window of a model whose spec, pool entry and family say nothing. */
  defaultContextWindow: number;
  /** Shares of the input budget: system, recent turns, older context. */
  budgets: ContextBudgets;
  /** Tool outputs above this many tokens are summarised in context; the full output stays readable by reference. */
  toolOutputTokenLimit: number;
  /** Most tokens a conversation summary takes in context. */
  summaryMaxTokens: number;
};

export const DEFAULT_CONTEXT_SETTINGS: ContextSettings = {
  defaultContextWindow: DEFAULT_CONTEXT_WINDOW,
  budgets: { ...DEFAULT_CONTEXT_BUDGETS },
  toolOutputTokenLimit: DEFAULT_TOOL_RESULT_TOKEN_LIMIT,
  summaryMaxTokens: DEFAULT_SUMMARY_MAX_TOKENS,
};
