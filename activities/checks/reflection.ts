// Self-reflection on a run's final answer (activity): the model explains the answer's reasoning,
// rates its confidence and looks for contradictions with the run's earlier answers, all in one
// call; a deterministic same-request check backs it up (core/judgement). Recorded as
// `answer.reflected` once per step; a retry returns the recorded reflection without asking again.
import { z } from 'zod';
import { answerReflectedData, RUN_EVENT_TYPES } from '../../core/events';
import {
  assistantStatements,
  decideReflection,
  REFLECTION_MAX_OUTPUT_TOKENS,
  REFLECTION_SYSTEM_PROMPT,
  reflectionPrompt,
  sameRequestContradiction,
  userRequestOf,
} from '../../core/judgement';
import { MODEL_CALL_PURPOSES } from '../../core/model-call-purposes';
import { askCheckModel } from './check-model';
import { finalAnswerOf, type AnswerCheckDeps } from './final-answer';
import type { ReflectInput, ReflectionResult } from '../contract';

export type ReflectionDeps = AnswerCheckDeps;

/** The reflection an earlier attempt recorded, read from its `answer.reflected` event: the event's own schema, unknown keys stripped. */
const recordedReflectionSchema = z.object(answerReflectedData.shape).pick({
  model: true, confidence: true, reasoning: true, contradiction: true, belowThreshold: true, error: true,
});

export function reflectionDedupeKey(step: number): string {
  return `answer.reflected:${step}`;
}

export async function reflectOnAnswer(deps: ReflectionDeps, input: ReflectInput): Promise<ReflectionResult> {
  const { runId, tenantId, step } = input;
  const transcript = await deps.transcripts.load(runId, -1, true);
  const answer = finalAnswerOf(transcript.entries, runId, step);
  const before = transcript.entries.filter((entry) => entry.seq < answer.entry.seq);
  const statements = assistantStatements(before);
  const finalSteps = [...new Set(statements.filter((statement) => statement.final).map((statement) => statement.step))];
  const recorded = await deps.recordedEvents.findByDedupeKeys(runId, [reflectionDedupeKey(step), ...finalSteps.map(reflectionDedupeKey)]);
  const mine = recordedReflectionSchema.safeParse(recorded.find((event) => event.dedupeKey === reflectionDedupeKey(step))?.data);
  if (mine.success) return mine.data;
  // Answers reflection already rejected (a retry pass follows them) are not held against this one.
  const rejected = new Set(recorded.filter((event) => event.data.belowThreshold === true).map((event) => event.data.step));
  const earlier = statements.filter((statement) => !rejected.has(statement.step));

  const policy = await deps.policies.forRun(tenantId, runId);
  const request = userRequestOf(before.map((entry) => entry.message)) ?? { first: '', latest: '' };
  const asked = await askCheckModel(deps, {
    modelId: input.modelId,
    system: REFLECTION_SYSTEM_PROMPT,
    messages: [{ type: 'user', text: reflectionPrompt({ request, earlier, answer: answer.text }) }],
    maxOutputTokens: REFLECTION_MAX_OUTPUT_TOKENS,
    attribution: { tenantId, runId, step, purpose: MODEL_CALL_PURPOSES.reflection },
  });
  const reflection = decideReflection({
    answerText: asked.text,
    threshold: policy.reflection.threshold,
    deterministicContradiction: sameRequestContradiction(earlier, { request: request.latest, answer: answer.text }),
  });
  const result: ReflectionResult = { ...reflection, model: asked.modelId };
  const stored = await deps.events.record(runId, tenantId, [{
    type: RUN_EVENT_TYPES.answerReflected,
    data: { step, threshold: policy.reflection.threshold, ...result },
    dedupeKey: reflectionDedupeKey(step),
  }]);
  // Another attempt recorded its reflection first: that one stands, so every caller sees the same.
  return stored.length > 0 ? result : (await recordedReflection(deps, runId, step)) ?? result;
}

async function recordedReflection(deps: Pick<ReflectionDeps, 'recordedEvents'>, runId: string, step: number): Promise<ReflectionResult | undefined> {
  const [event] = await deps.recordedEvents.findByDedupeKeys(runId, [reflectionDedupeKey(step)]);
  const parsed = recordedReflectionSchema.safeParse(event?.data);
  return parsed.success ? parsed.data : undefined;
}
