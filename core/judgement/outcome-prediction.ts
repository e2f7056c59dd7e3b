// The predicted-outcome check of a confirm-level or destructive tool call: the prompt a small
// model answers, the schema of its JSON answer, and the decision that combines the model's view
// with the deterministic intent/effect cross-check. An answer that cannot be read never lets the
// call through as verified: it becomes `review`.
import { z } from 'zod';
import { effectConflicts, type EffectConflict } from './effect-conflicts';
import { parseModelJson } from './model-json';
import { normaliseEffects, OUTCOME_EFFECTS, type OutcomeEffect } from './outcome-effects';
import { intentsOf } from './request-intents';
import { requestText, type UserRequest } from './user-request';

export const PREDICTION_MAX_OUTPUT_TOKENS = 400;
const ARGUMENTS_PREVIEW_CHARS = 4000;
const REQUEST_PREVIEW_CHARS = 4000;

export const predictionAnswerSchema = z.object({
  prediction: z.string().min(1).max(4000),
  effects: z.array(z.string()).max(20).transform(normaliseEffects),
  matchesRequest: z.boolean(),
  reason: z.string().max(4000).default(''),
});
export type PredictionAnswer = z.output<typeof predictionAnswerSchema>;

/** `match`: run it; `mismatch`: refuse it with a correctable error; `review`: could not be verified, a human decides. */
export type PredictionVerdict = 'match' | 'mismatch' | 'review';

/** What a tool result's `metadata.prediction` holds (also shown to a human reviewer). */
export type OutcomePrediction = {
  verdict: PredictionVerdict;
  model: string;
  /** Why the call was checked: the safety verdict was `confirm`, or it is destructive (with its reasons). */
  trigger: { confirm: boolean; destructive: string[] };
  prediction?: string;
  effects?: OutcomeEffect[];
  matchesRequest?: boolean;
  reason?: string;
  conflicts: EffectConflict[];
  /** Why the answer could not be used (unparseable, model failure). */
  error?: string;
};

export const PREDICTION_SYSTEM_PROMPT = [
  'You check tool calls an AI agent is about to make, before they run.',
  'Predict exactly what the call will do to files, processes and the network, then decide whether that is what the user asked for.',
  'Be literal: deleting files is not moving or copying them, even if the files are no longer needed afterwards.',
  `Answer with one JSON object and nothing else: {"prediction": string, "effects": array of ${OUTCOME_EFFECTS.map((effect) => `"${effect}"`).join(' | ')}, "matchesRequest": boolean, "reason": string}.`,
].join('\n');

export type PredictionPromptInput = { request: UserRequest; toolName: string; arguments: unknown; destructiveReasons: readonly string[]; safetyReasons: readonly string[] };

export function predictionPrompt(input: PredictionPromptInput): string {
  const lines = [
    `Tool call: ${input.toolName} ${JSON.stringify(input.arguments).slice(0, ARGUMENTS_PREVIEW_CHARS)}`,
    '',
    `The user's request:\n${requestText(input.request).slice(0, REQUEST_PREVIEW_CHARS)}`,
  ];
  if (input.destructiveReasons.length > 0) lines.push('', `Static analysis: ${input.destructiveReasons.join('; ')}.`);
  if (input.safetyReasons.length > 0) lines.push('', `Safety notes: ${input.safetyReasons.join('; ')}.`);
  lines.push('', 'What will this call do, and does it do what the user asked? Answer with the JSON object only.');
  return lines.join('\n');
}

export type PredictionDecisionInput = { model: string; trigger: OutcomePrediction['trigger']; request: UserRequest; answerText: string };

/** Reads the model's answer and decides; the deterministic conflicts override a model that says it matches. */
export function decidePrediction(input: PredictionDecisionInput): OutcomePrediction {
  const parsed = parseModelJson(input.answerText, predictionAnswerSchema);
  if (!parsed.ok) return unverifiedPrediction(input.model, input.trigger, parsed.error);
  const answer = parsed.value;
  const conflicts = effectConflicts(intentsOf(requestText(input.request)), answer.effects);
  const verdict: PredictionVerdict = answer.matchesRequest && conflicts.length === 0 ? 'match' : 'mismatch';
  return { verdict, model: input.model, trigger: input.trigger, prediction: answer.prediction, effects: answer.effects, matchesRequest: answer.matchesRequest, reason: answer.reason, conflicts };
}

export function unverifiedPrediction(model: string, trigger: OutcomePrediction['trigger'], error: string): OutcomePrediction {
  return { verdict: 'review', model, trigger, conflicts: [], error };
}

/** The tool result a mismatched call gets instead of running: what it would do, what was asked, what to do instead. */
export function mismatchMessage(prediction: OutcomePrediction, request: UserRequest): string {
  const why = prediction.conflicts.length > 0
    ? prediction.conflicts.map((conflict) => conflict.detail).join('; ')
    : `the check found it does not do what the request asks${prediction.reason ? ` (${prediction.reason.replace(/[.\s]+$/u, '')})` : ''}`;
  const predicted = (prediction.prediction ?? 'unknown').replace(/[.\s]+$/u, '');
  const effects = prediction.effects?.length ? ` (effects: ${prediction.effects.join(', ')})` : '';
  const analysis = prediction.trigger.destructive.length > 0 ? ` Static analysis: ${prediction.trigger.destructive.join('; ')}.` : '';
  const asked = request.latest.length > 300 ? `${request.latest.slice(0, 300)}…` : request.latest;
  return `Not run: ${why}. Predicted: ${predicted}${effects}.${analysis} The request: "${asked}". Use a command that does what was asked.`;
}
