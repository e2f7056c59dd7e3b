// What the small model is asked when it summarises: the turns truncation dropped (with the previous
// summary, so summaries grow incrementally) and oversized tool outputs. Pure text building; the
// prompts open with fixed phrases so scripted model servers can recognise them.
import type { Message } from '../messages';

/** The first words of a conversation-summary request's user message. */
export const CONVERSATION_SUMMARY_PREFIX = 'Summarise the earlier part of an agent conversation';
/** The first words of a tool-output-summary request's user message. */
export const TOOL_OUTPUT_SUMMARY_PREFIX = 'Summarise the output of the tool';

/** Characters of one message shown to the summariser; the summariser has a window too. */
export const SUMMARY_MESSAGE_CHARS = 2_000;
/** Characters of dropped conversation shown in one summary request. */
export const SUMMARY_PROMPT_CHARS = 48_000;
/** Characters of a tool output shown in one summary request (its head and tail). */
export const TOOL_OUTPUT_PROMPT_CHARS = 24_000;

export type SummaryRequest = { system: string; user: string };

const SUMMARY_SYSTEM =
  'You compress the history of an agent that uses tools, so it can continue its task without the original messages. ' +
  'Keep facts, decisions, file names, commands, results, errors and open questions; drop pleasantries. Plain text only.';

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, Math.ceil(limit / 2))}\n[… ${text.length - limit} characters left out …]\n${text.slice(text.length - Math.floor(limit / 2))}`;
}

/** One message as a line of plain text for the summariser. */
export function renderForSummary(message: Message, limit: number = SUMMARY_MESSAGE_CHARS): string {
  switch (message.type) {
    case 'system':
      return `system: ${clip(message.text, limit)}`;
    case 'user':
      return `user: ${clip(message.text, limit)}`;
    case 'tool-result':
      return `result of ${message.toolName}${message.isError ? ' (error)' : ''}: ${clip(message.output, limit)}`;
    case 'assistant': {
      const pieces = message.parts.map((part) => {
        if (part.type === 'text') return part.text;
        if (part.type === 'tool-call') return `[calls ${part.toolName} ${JSON.stringify(part.arguments)}]`;
        return '';
      });
      return `assistant: ${clip(pieces.filter((piece) => piece !== '').join(' '), limit)}`;
    }
  }
}

export function conversationSummaryRequest(previous: string | undefined, dropped: readonly Message[], maxTokens: number): SummaryRequest {
  const lines: string[] = [];
  let used = 0;
  for (const [index, message] of dropped.entries()) {
    const line = renderForSummary(message);
    if (used + line.length > SUMMARY_PROMPT_CHARS) {
      lines.push(`[… ${dropped.length - index} more messages left out …]`);
      break;
    }
    lines.push(line);
    used += line.length;
  }
  const earlier = previous ? `Summary so far:\n${previous}\n\nMessages since then:\n` : 'Messages:\n';
  return {
    system: SUMMARY_SYSTEM,
    user: `${CONVERSATION_SUMMARY_PREFIX} in at most ${Math.floor(maxTokens * 0.75)} words, as one updated summary.\n\n${earlier}${lines.join('\n')}`,
  };
}

export function toolOutputSummaryRequest(toolName: string, toolArguments: Record<string, unknown>, output: string, maxTokens: number): SummaryRequest {
  return {
    system: SUMMARY_SYSTEM,
    user:
      `${TOOL_OUTPUT_SUMMARY_PREFIX} ${toolName} in at most ${Math.floor(maxTokens * 0.75)} words: what it shows, key values, errors, ` +
      `and where in the output (line numbers) the details are. The full output stays available by reference.\n\n` +
      `Arguments: ${clip(JSON.stringify(toolArguments), 1_000)}\n\nOutput:\n${clip(output, TOOL_OUTPUT_PROMPT_CHARS)}`,
  };
}
