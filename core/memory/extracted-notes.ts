// Note extraction's two pure halves: the prompt that asks a small model for durable facts, and the
// parser of its answer (JSON, possibly fenced or wrapped in prose), validated with zod.
import { z } from 'zod';

export const MAX_EXTRACTED_NOTES = 20;
/** Transcript characters sent for extraction: the end of a run holds its conclusions. */
export const EXTRACTION_TRANSCRIPT_CHARS = 24_000;

export const EXTRACTION_INSTRUCTIONS = [
  'You extract durable memory from an agent run. Read the conversation and list the facts worth',
  'remembering in later runs for the same user: their preferences (category "user_preference"),',
  'facts about their project (category "project_info"), and facts that are true only for now',
  '(category "temp_info"). Each fact is one self-contained sentence. Skip chit-chat, the task\'s',
  'intermediate steps and anything secret (keys, passwords, tokens).',
  'Answer with a JSON array only: [{"content": "...", "category": "...", "importance": 0.0-1.0}].',
  'importance is optional. Answer [] when nothing is worth remembering.',
].join('\n');

export const extractedNoteSchema = z.object({
  content: z.string().trim().min(1).max(1000),
  category: z.string().regex(/^[\w.-]{1,64}$/).default('general'),
  importance: z.number().min(0).max(1).optional(),
});
export type ExtractedNote = z.infer<typeof extractedNoteSchema>;

const extractedNotesSchema = z.array(extractedNoteSchema).max(MAX_EXTRACTED_NOTES);

/** Thrown when the model's answer holds no JSON array of notes. */
export class ExtractionParseError extends Error {
  constructor(readonly answer: string, problem: string) {
    super(`note extraction answer is not a JSON array of notes: ${problem}`);
    this.name = 'ExtractionParseError';
  }
}

/** Reads `[{content, category, importance?}]` from an answer that may fence it or add prose around it. */
export function parseExtractedNotes(answer: string): ExtractedNote[] {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(answer);
  const body = fenced?.[1] ?? answer;
  const start = body.indexOf('[');
  const end = body.lastIndexOf(']');
  if (start < 0 || end < start) throw new ExtractionParseError(answer, 'no [...] found');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.slice(start, end + 1));
  } catch (error) {
    throw new ExtractionParseError(answer, (error as Error).message);
  }
  const result = extractedNotesSchema.safeParse(parsed);
  if (!result.success) throw new ExtractionParseError(answer, result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  // The same fact twice in one answer is one note.
  const seen = new Set<string>();
  return result.data.filter((note) => {
    const key = note.content.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The run as plain text for the extraction prompt: user and assistant turns, the latest kept when long. */
export function transcriptForExtraction(messages: ReadonlyArray<{ role: 'user' | 'assistant'; text: string }>, maxChars = EXTRACTION_TRANSCRIPT_CHARS): string {
  const text = messages.filter((message) => message.text.trim()).map((message) => `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.text.trim()}`).join('\n\n');
  return text.length <= maxChars ? text : `[earlier turns omitted]\n${text.slice(text.length - maxChars)}`;
}
