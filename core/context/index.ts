// The context half of memory and context: exact or calibrated token counts, budgeted truncation of a
// transcript into a model's window, and the policy for compressing large tool outputs.
export {
  ANTHROPIC_TOOL_SYSTEM_PROMPT_TOKENS,
  MESSAGE_OVERHEAD,
  NAME_OVERHEAD,
  REPLY_PRIMING_TOKENS,
  TOOL_CALL_OVERHEAD,
  TOOL_DEFINITION_OVERHEAD,
  TOOLS_SECTION_OVERHEAD,
  WIRE_ROLES,
} from './chat-overhead';
export {
  applyToolOutputReferences,
  compressedOutput,
  compressToolResults,
  DEFAULT_TOOL_RESULT_TOKEN_LIMIT,
  FALLBACK_HEAD_CHARS,
  fallbackOutputSummary,
  findOversizedToolResults,
  isCompressedOutput,
  READ_TOOL_OUTPUT_TOOL_NAME,
  referenceLine,
  type CompressToolResultsOptions,
  type OversizedToolResult,
  type ToolOutputReference,
  type ToolOutputSummariser,
  UNREADABLE_OUTPUT_NOTE,
} from './compress-tool-results';
export { ContextOverflowError } from './context-overflow-error';
export { placeholderText, summaryHeader, summaryMessage, type ContextSummary } from './context-summary';
export { groupIntoTurns, type Turn, type TurnLayout } from './conversation-turns';
export {
  CL100K_MODEL_PREFIXES,
  ENCODING_NAMES,
  encodingForModel,
  ESTIMATED_MODEL_MARKERS,
  O200K_MODEL_PREFIXES,
  type EncodingName,
  type ModelEncoding,
} from './model-encoding';
export { encoderFor, LONG_RUN_CHARS } from './text-tokens';
export {
  CALIBRATION_RATIO_BOUNDS,
  CALIBRATION_SAFETY_MARGIN,
  CALIBRATION_SMOOTHING,
  calibrateState,
  calibratedRatio,
  createTokenCalibration,
  DEFAULT_CALIBRATION_RATIO,
  emptyCalibrationState,
  estimateFactor,
  type ModelCalibration,
  type TokenCalibration,
  type TokenCalibrationState,
} from './token-calibration';
export { createTokenCounter, type TokenCounter, type TokenCounterOptions } from './token-counter';
export {
  DEFAULT_CONTEXT_BUDGETS,
  fitContext,
  type ContextBudgets,
  type FitContextOptions,
  type FittedContext,
} from './truncate-context';
export {
  DEFAULT_SUMMARY_HEADROOM,
  DEFAULT_SUMMARY_MAX_TOKENS,
  planContext,
  wholeContext,
  type BuiltContext,
  type ContextPlan,
  type ContextPlanOptions,
  type SequencedMessage,
  type StoredSummary,
  type SummaryCoverage,
} from './context-plan';
export { contextWindowOf, DEFAULT_CONTEXT_WINDOW, FAMILY_CONTEXT_WINDOWS, familyContextWindow, type WindowSource } from './context-windows';
export {
  CONVERSATION_SUMMARY_PREFIX,
  conversationSummaryRequest,
  renderForSummary,
  SUMMARY_MESSAGE_CHARS,
  SUMMARY_PROMPT_CHARS,
  TOOL_OUTPUT_PROMPT_CHARS,
  TOOL_OUTPUT_SUMMARY_PREFIX,
  toolOutputSummaryRequest,
  type SummaryRequest,
} from './summary-prompts';
export { TRIM_MARK, trimToTokens } from './trim-to-tokens';
export { DEFAULT_CONTEXT_SETTINGS, type ContextSettings } from './context-settings';
