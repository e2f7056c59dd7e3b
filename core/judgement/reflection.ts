// Self-reflection on a final answer: the prompt (the request, the run's earlier answers and the
// answer under review), the schema of the model's JSON answer, and the decision against the
// policy's threshold. Contradictions come from the model (asked in the same call) and from a cheap
// deterministic check (core/judgement/earlier-answers.ts); either one is reported.
import { z } from 'zod';
import type { EarlierStatement } from './earlier-answers';
import { parseModelJson } from './model-json';
import { requestText, type UserRequest } from './user-request';

export const REFLECTION_MAX_OUTPUT_TOKENS = 800;
const MAX_EARLIER_STATEMENTS = 10;
const STATEMENT_PREVIEW_CHARS = 1000;
const ANSWER_PREVIEW_CHARS = 8000;

const NO_CONTRADICTION = /^(?:none|null|no|n\/a|no contradiction\.?)$/iu;

export const reflectionAnswerSchema = z.object({
  reasoning: z.string().max(8000),
  // Models sometimes quote numbers; anything outside 0–100 is clamped rather than rejected.
  confidence: z.union([z.number(), z.string().regex(/^\s*\d+(?:\.\d+)?\s*%?\s*$/u).transform((text) => Number.parseFloat(text))])
    .transform((value) => Math.min(100, Math.max(0, value))),
  contradiction: z.string().max(4000).nullish().transform((value) => (value == null || value.trim() === '' || NO_CONTRADICTION.test(value.trim()) ? null : value.trim())),
});
export type ReflectionAnswer = z.output<typeof reflectionAnswerSchema>;

export type Reflection = {
  /** 0–100; 0 when the reflection could not be read (fail safe: below any threshold). */
  confidence: number;
  reasoning: string;
  contradiction: string | null;
  belowThreshold: boolean;
  /** Why the model's reflection could not be used, when it could not. */
  error?: string;
};

export const REFLECTION_SYSTEM_PROMPT = [
  'You review an AI assistant\'s final answer before it is given to the user.',
  'Explain the reasoning behind the answer, check it against the request, and say how confident you are that it is correct and complete (0 = certainly wrong, 100 = certainly right).',
  'Then compare it with the assistant\'s earlier answers in the same conversation: if it contradicts one of them, say which and how; otherwise contradiction is null.',
  'Answer with one JSON object and nothing else: {"reasoning": string, "confidence": number 0-100, "contradiction": string or null}.',
].join('\n');

export type ReflectionPromptInput = { request: UserRequest; earlier: readonly EarlierStatement[]; answer: string };

export function reflectionPrompt(input: ReflectionPromptInput): string {
  const earlier = input.earlier.slice(-MAX_EARLIER_STATEMENTS);
  const lines = [`The user's request:\n${requestText(input.request)}`, ''];
  if (earlier.length > 0) {
    lines.push('The assistant\'s earlier answers in this conversation, oldest first:');
    earlier.forEach((statement, index) => lines.push(`${index + 1}. ${statement.text.slice(0, STATEMENT_PREVIEW_CHARS)}`));
  } else {
    lines.push('The assistant gave no earlier answers in this conversation.');
  }
  lines.push('', `The answer under review:\n${input.answer.slice(0, ANSWER_PREVIEW_CHARS)}`, '', 'Answer with the JSON object only.');
  return lines.join('\n');
}

export type ReflectionDecisionInput = { answerText: string; threshold: number; deterministicContradiction: string | null };

export function decideReflection(input: ReflectionDecisionInput): Reflection {
  const parsed = parseModelJson(input.answerText, reflectionAnswerSchema);
  if (!parsed.ok) {
    return { confidence: 0, reasoning: '', contradiction: input.deterministicContradiction, belowThreshold: true, error: `the reflection could not be read: ${parsed.error}` };
  }
  const { confidence, reasoning, contradiction } = parsed.value;
  return { confidence, reasoning, contradiction: contradiction ?? input.deterministicContradiction, belowThreshold: confidence < input.threshold };
}
