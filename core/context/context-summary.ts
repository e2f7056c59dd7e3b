// The single user message that stands in for the turns truncation dropped: a summary when the caller
// has one, otherwise a placeholder that says how much is missing (and the caller is asked for a summary).
import type { UserMessage } from '../messages';

export type ContextSummary = { text: string };

export function summaryHeader(droppedCount: number): string {
  return `[Summary of ${droppedCount} earlier messages]`;
}

export function placeholderText(droppedCount: number): string {
  return `[${droppedCount} earlier messages were left out to fit the context window; no summary of them is available]`;
}

export function summaryMessage(droppedCount: number, summary: ContextSummary | undefined): UserMessage {
  return { type: 'user', text: summary ? `${summaryHeader(droppedCount)}\n${summary.text}` : placeholderText(droppedCount) };
}
