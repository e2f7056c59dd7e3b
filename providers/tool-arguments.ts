// Parses the JSON text of a tool call's arguments; text that is not a JSON object becomes `{}`
// with the text kept in `rawArguments`, so the tool layer can tell the model what went wrong.
import { z } from 'zod';
import type { ToolCallPart } from '../core/messages';

const argumentsSchema = z.record(z.string(), z.unknown());

export function parseToolArguments(text: string): Pick<ToolCallPart, 'arguments' | 'rawArguments'> {
  if (text.trim() === '') return { arguments: {} };
  try {
    const parsed = argumentsSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { arguments: parsed.data };
  } catch {
    // Falls through: invalid JSON is reported through rawArguments.
  }
  return { arguments: {}, rawArguments: text };
}

/** Arguments that arrived already parsed (Anthropic's `input`); anything but an object is kept as text. */
export function toolArgumentsFromValue(value: unknown): Pick<ToolCallPart, 'arguments' | 'rawArguments'> {
  const parsed = argumentsSchema.safeParse(value ?? {});
  return parsed.success ? { arguments: parsed.data } : { arguments: {}, rawArguments: JSON.stringify(value) };
}
