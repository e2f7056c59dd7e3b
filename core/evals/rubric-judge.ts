// The model-graded scorer's judge: the prompt (the request, the expected result when there is one,
// the answer, the rubric), the schema of its JSON grade and the verdict against the pass threshold.
// An unreadable grade scores 0 and fails (an eval that cannot be read never passes).
import { z } from 'zod';
import { parseModelJson } from '../judgement/model-json';
import { scorerNameOf, type Expected, type Scorer, type ScoreVerdict } from './scorers';

export const RUBRIC_JUDGE_MAX_OUTPUT_TOKENS = 600;
const JUDGED_CHARS = 8000;

export const RUBRIC_JUDGE_SYSTEM_PROMPT = [
  'You grade an AI assistant\'s final answer against a rubric.',
  'Score from 0 (fails the rubric entirely) to 1 (meets every point of it), and give the reason in one or two sentences.',
  'Answer with one JSON object and nothing else: {"score": number between 0 and 1, "reason": string}.',
].join('\n');

export const rubricGradeSchema = z.object({
  // Models sometimes grade in percent or quote the number: 0-100 and "0.8" are read too.
  score: z.union([z.number(), z.string().regex(/^\s*\d+(?:\.\d+)?\s*$/u).transform((text) => Number.parseFloat(text))])
    .transform((value) => (value > 1 && value <= 100 ? value / 100 : value))
    .pipe(z.number().min(0).max(1)),
  reason: z.string().max(4000).default(''),
});

export type RubricScorer = Extract<Scorer, { kind: 'rubric' }>;

export type RubricPromptInput = { request: string; answer: string; rubric: string; expected?: Expected };

export function rubricPrompt(input: RubricPromptInput): string {
  const lines = [`The user's request:\n${input.request.slice(0, JUDGED_CHARS)}`, ''];
  if (input.expected !== undefined) lines.push(`What the answer was expected to be (a reference, JSON):\n${JSON.stringify(input.expected).slice(0, JUDGED_CHARS)}`, '');
  lines.push(`The answer to grade:\n${input.answer.slice(0, JUDGED_CHARS)}`, '', `The rubric:\n${input.rubric}`, '', 'Answer with the JSON object only.');
  return lines.join('\n');
}

export function rubricVerdict(scorer: RubricScorer, judgeText: string): ScoreVerdict {
  const name = scorerNameOf(scorer);
  const parsed = parseModelJson(judgeText, rubricGradeSchema);
  if (!parsed.ok) return { scorer: name, kind: 'rubric', score: 0, passed: false, reason: `the judge's grade could not be read: ${parsed.error}` };
  const { score, reason } = parsed.value;
  return { scorer: name, kind: 'rubric', score, passed: score >= scorer.passThreshold, reason: reason || `graded ${score}` };
}
