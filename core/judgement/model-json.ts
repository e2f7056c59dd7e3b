// Reads the JSON object a checking model was asked to answer with. Models wrap JSON in ```json
// fences or add a sentence around it; both are tolerated, and anything else is a typed failure the
// caller turns into a safe default instead of an exception.
import type { z } from 'zod';

export type ModelJsonResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** The candidate JSON texts in a reply, most likely first: fenced blocks, the whole text, the outermost braces. */
function jsonCandidates(text: string): string[] {
  const candidates: string[] = [];
  for (const match of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/gu)) {
    if (match[1]) candidates.push(match[1].trim());
  }
  candidates.push(text.trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first !== -1 && last > first) candidates.push(text.slice(first, last + 1));
  return candidates;
}

/** Parses the first candidate that is JSON and satisfies `schema`; reports why none did otherwise. */
export function parseModelJson<Schema extends z.ZodType>(text: string, schema: Schema): ModelJsonResult<z.output<Schema>> {
  let lastError = 'the answer contains no JSON object';
  for (const candidate of jsonCandidates(text)) {
    let raw: unknown;
    try {
      raw = JSON.parse(candidate);
    } catch {
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { ok: true, value: parsed.data };
    lastError = `the JSON answer does not have the expected shape: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`;
  }
  return { ok: false, error: lastError };
}
