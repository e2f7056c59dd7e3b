// The policy for tool outputs too large to keep in context: which results exceed the limit, and how a
// summary plus a reference to the stored full output replaces them. The summariser is injected.
import type { Message, ToolResultMessage } from '../messages';
import type { TokenCounter } from './token-counter';

/** Tool outputs above this many tokens are summarised in context. */
export const DEFAULT_TOOL_RESULT_TOKEN_LIMIT = 500;

/** The tool a model calls to read a compressed output in full. */
export const READ_TOOL_OUTPUT_TOOL_NAME = 'read_tool_output';

/** What the reference line says when the run has no read_tool_output: the output is kept, but not for this run. */
export const UNREADABLE_OUTPUT_NOTE = 'stored, but not readable in this run';

const REFERENCE_LINE = new RegExp(`\\n?\\[full output: ref [^\\]\\n]+, \\d+ tokens; (call ${READ_TOOL_OUTPUT_TOOL_NAME} to see it|${UNREADABLE_OUTPUT_NOTE})\\]$`);

export type OversizedToolResult = { index: number; message: ToolResultMessage; tokens: number };

/** A compressed output: the summary shown in context and where the full output is kept. */
export type ToolOutputReference = { callId: string; referenceId: string; tokens: number; summary: string };

/** Turns an output into its summary; usually a call to a small model. */
export type ToolOutputSummariser = (output: string) => Promise<string>;

/**
 * Where the full output is. It points the model at read_tool_output only when the run has that tool:
 * otherwise the model would call a tool it was never given.
 */
export function referenceLine(referenceId: string, tokens: number, readable = true): string {
  const how = readable ? `call ${READ_TOOL_OUTPUT_TOOL_NAME} to see it` : UNREADABLE_OUTPUT_NOTE;
  return `[full output: ref ${referenceId}, ${tokens} tokens; ${how}]`;
}

/** What the transcript holds instead of an oversized output: its summary, then where the full output is. */
export function compressedOutput(summary: string, referenceId: string, tokens: number, readable = true): string {
  return `${summary}\n${referenceLine(referenceId, tokens, readable)}`;
}

/** Characters of an output's head shown when no summary could be written. */
export const FALLBACK_HEAD_CHARS = 1_200;

/** A deterministic stand-in summary (the small model failed): the output's first lines. */
export function fallbackOutputSummary(output: string): string {
  const head = output.length > FALLBACK_HEAD_CHARS ? `${output.slice(0, FALLBACK_HEAD_CHARS)}…` : output;
  return `[no summary available; the output begins:]\n${head}`;
}

export function isCompressedOutput(output: string): boolean {
  return REFERENCE_LINE.test(output);
}

/** Tool results over the limit, not yet compressed, in transcript order; `tokens` counts the output alone. */
export function findOversizedToolResults(
  messages: readonly Message[],
  counter: TokenCounter,
  limitTokens: number = DEFAULT_TOOL_RESULT_TOKEN_LIMIT,
): OversizedToolResult[] {
  const found: OversizedToolResult[] = [];
  messages.forEach((message, index) => {
    if (message.type !== 'tool-result' || isCompressedOutput(message.output)) return;
    // The message count is cached per message, so re-checking a long transcript encodes nothing new.
    if (counter.countMessage(message) <= limitTokens) return;
    const tokens = counter.countText(message.output);
    if (tokens > limitTokens) found.push({ index, message, tokens });
  });
  return found;
}

/** Pure: each referenced tool result's output becomes its summary and reference line; all else is untouched. */
export function applyToolOutputReferences(messages: readonly Message[], references: readonly ToolOutputReference[], readable = true): Message[] {
  const byCallId = new Map(references.map((reference) => [reference.callId, reference]));
  return messages.map((message) => {
    const reference = message.type === 'tool-result' ? byCallId.get(message.callId) : undefined;
    if (message.type !== 'tool-result' || !reference) return message;
    return { ...message, output: compressedOutput(reference.summary, reference.referenceId, reference.tokens, readable) };
  });
}

export type CompressToolResultsOptions = {
  messages: readonly Message[];
  counter: TokenCounter;
  summarise: ToolOutputSummariser;
  limitTokens?: number;
  /** Where the full output is stored; the call id by default. */
  referenceIdOf?: (message: ToolResultMessage) => string;
  /** The run's tool names: without read_tool_output the reference says the output cannot be read. */
  toolNames?: readonly string[];
};

/** Summarises every oversized tool result (concurrently) and returns the compressed transcript with its references. */
export async function compressToolResults(options: CompressToolResultsOptions): Promise<{ messages: Message[]; references: ToolOutputReference[] }> {
  const referenceIdOf = options.referenceIdOf ?? ((message: ToolResultMessage) => message.callId);
  const oversized = findOversizedToolResults(options.messages, options.counter, options.limitTokens);
  const references = await Promise.all(
    oversized.map(async ({ message, tokens }) => ({
      callId: message.callId,
      referenceId: referenceIdOf(message),
      tokens,
      summary: await options.summarise(message.output),
    })),
  );
  const readable = options.toolNames?.includes(READ_TOOL_OUTPUT_TOOL_NAME) ?? true;
  return { messages: applyToolOutputReferences(options.messages, references, readable), references };
}
