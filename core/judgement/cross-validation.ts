// Cross-model validation of a critical run's answer: what the validating models are told, the
// judge's prompt and verdict schema for free-text answers that do not match once normalised.
import { z } from 'zod';
import { parseModelJson } from './model-json';

export const CROSS_VALIDATION_MAX_OUTPUT_TOKENS = 1000;
export const JUDGE_MAX_OUTPUT_TOKENS = 400;
const JUDGED_ANSWER_CHARS = 4000;

/** Appended to the run's own system prompt: the validators answer without tools, briefly. */
export const CROSS_VALIDATION_INSTRUCTIONS = 'No tools are available. Reply with a concise final answer to the user\'s request and nothing else.';

export function validatorSystemPrompt(runSystemPrompt: string | undefined): string {
  return runSystemPrompt ? `${runSystemPrompt}\n\n${CROSS_VALIDATION_INSTRUCTIONS}` : CROSS_VALIDATION_INSTRUCTIONS;
}

export const judgeVerdictSchema = z.object({ agree: z.boolean(), reason: z.string().max(4000).default('') });
export type JudgeVerdict = z.output<typeof judgeVerdictSchema>;

export const JUDGE_SYSTEM_PROMPT = [
  'You judge whether several answers to the same request agree: they agree when they give the same result or recommendation, even if worded differently; they disagree when any of them would lead the user to a different conclusion.',
  'Answer with one JSON object and nothing else: {"agree": boolean, "reason": string}.',
].join('\n');

export function judgePrompt(request: string, answers: ReadonlyArray<{ model: string; answer: string }>): string {
  return [
    `The request:\n${request}`,
    '',
    ...answers.map((entry, index) => `Answer ${index + 1} (${entry.model}):\n${entry.answer.slice(0, JUDGED_ANSWER_CHARS)}\n`),
    'Do these answers agree? Answer with the JSON object only.',
  ].join('\n');
}

/** The judge's verdict; an unreadable one counts as disagreement (fail safe: a human looks). */
export function readJudgeVerdict(text: string): JudgeVerdict & { error?: string } {
  const parsed = parseModelJson(text, judgeVerdictSchema);
  return parsed.ok ? parsed.value : { agree: false, reason: 'the judge\'s verdict could not be read', error: parsed.error };
}
