// Cross-model validation of a critical run's final answer (activity): several distinct models answer
// the user's request on their own (the run's system prompt and user messages, no tools); their
// answers and the run's own are compared by normalised match, and when that fails a judge model
// decides whether the free-text answers agree. A failing model is reported with its error; only
// when every validator fails does the activity fail. Recorded as `answer.cross-validated` once per
// step; a retry returns the recorded result.
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../../core/errors';
import { RUN_EVENT_TYPES } from '../../core/events';
import {
  CROSS_VALIDATION_MAX_OUTPUT_TOKENS,
  JUDGE_MAX_OUTPUT_TOKENS,
  JUDGE_SYSTEM_PROMPT,
  judgePrompt,
  normalisedAgreement,
  readJudgeVerdict,
  validatorSystemPrompt,
} from '../../core/judgement';
import { MODEL_CALL_PURPOSES } from '../../core/model-call-purposes';
import { askCheckModel, failureMessage, type CheckCallAttribution, type CheckModelDeps } from './check-model';
import { finalAnswerOf, type AnswerCheckDeps } from './final-answer';
import { UsageNotRecorded } from '../records/usage-ledger';
import { crossValidationResultSchema, type CrossValidateInput, type CrossValidationAnswer, type CrossValidationResult } from '../contract';

export type CrossValidationDeps = AnswerCheckDeps;

export function crossValidationDedupeKey(step: number): string {
  return `answer.cross-validated:${step}`;
}

export async function crossValidate(deps: CrossValidationDeps, input: CrossValidateInput): Promise<CrossValidationResult> {
  const { runId, tenantId, step } = input;
  const attribution = { tenantId, runId, step, purpose: MODEL_CALL_PURPOSES.crossValidation };
  const recorded = await recordedResult(deps, runId, step);
  if (recorded) return recorded;
  const policy = await deps.policies.forRun(tenantId, runId);
  const models = [...new Set(input.models.length > 0 ? input.models : policy.crossValidation.models)].slice(0, policy.crossValidation.count);
  if (models.length < 2) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.crossValidationFailed, message: `cross-validation needs at least two distinct models, got ${models.length}`, nonRetryable: true });
  }
  const transcript = await deps.transcripts.load(runId, -1, true);
  const final = finalAnswerOf(transcript.entries, runId, step);
  const before = transcript.entries.filter((entry) => entry.seq < final.entry.seq).map((entry) => entry.message);
  const system = before.filter((message) => message.type === 'system').map((message) => message.text).join('\n\n') || undefined;
  const request = before.filter((message) => message.type === 'user').map((message) => message.text).join('\n\n');

  const validators = await Promise.all(models.map(async (model): Promise<CrossValidationAnswer> => {
    try {
      const asked = await askCheckModel(deps, {
        modelId: model, system: validatorSystemPrompt(system), messages: [{ type: 'user', text: request }], maxOutputTokens: CROSS_VALIDATION_MAX_OUTPUT_TOKENS,
        attribution: { ...attribution, detail: `validator:${model}` },
      });
      return { model, answer: asked.text.trim() };
    } catch (failure) {
      if (failure instanceof UsageNotRecorded) throw failure;
      return { model, answer: null, error: failureMessage(failure) };
    }
  }));
  if (validators.every((entry) => entry.answer === null)) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.crossValidationFailed,
      message: `every validating model failed: ${validators.map((entry) => `${entry.model}: ${entry.error}`).join('; ')}`,
    });
  }
  const answers: CrossValidationAnswer[] = [{ model: final.message.model ?? 'run', answer: final.text.trim(), final: true }, ...validators];
  const given = answers.filter((entry): entry is CrossValidationAnswer & { answer: string } => entry.answer !== null);
  let result: CrossValidationResult;
  if (normalisedAgreement(given.map((entry) => entry.answer))) {
    result = { agreed: true, method: 'normalised', answers, judgement: null };
  } else {
    const judgeModel = input.judgeModel ?? policy.crossValidation.judgeModel ?? policy.smallModel ?? models[0] ?? '';
    const judgement = await judge(deps, { ...attribution, detail: 'judge' }, judgeModel, request, given);
    result = { agreed: judgement.agree, method: 'judge', answers, judgement };
  }
  const stored = await deps.events.record(runId, tenantId, [{
    type: RUN_EVENT_TYPES.answerCrossValidated,
    data: { step, ...result },
    dedupeKey: crossValidationDedupeKey(step),
  }]);
  // Another attempt recorded first: its result stands, so every caller sees the same.
  return stored.length > 0 ? result : (await recordedResult(deps, runId, step)) ?? result;
}

/** The judge's verdict; a judge that fails or answers unreadably counts as disagreement (a human looks). */
async function judge(deps: CheckModelDeps, attribution: CheckCallAttribution, model: string, request: string, answers: ReadonlyArray<{ model: string; answer: string }>): Promise<NonNullable<CrossValidationResult['judgement']>> {
  try {
    const asked = await askCheckModel(deps, {
      modelId: model, system: JUDGE_SYSTEM_PROMPT, messages: [{ type: 'user', text: judgePrompt(request, answers) }], maxOutputTokens: JUDGE_MAX_OUTPUT_TOKENS, attribution,
    });
    return { model, ...readJudgeVerdict(asked.text) };
  } catch (failure) {
    if (failure instanceof UsageNotRecorded) throw failure;
    return { model, agree: false, reason: 'the judge model failed', error: failureMessage(failure) };
  }
}

async function recordedResult(deps: Pick<CrossValidationDeps, 'recordedEvents'>, runId: string, step: number): Promise<CrossValidationResult | undefined> {
  const [event] = await deps.recordedEvents.findByDedupeKeys(runId, [crossValidationDedupeKey(step)]);
  const parsed = crossValidationResultSchema.safeParse(event?.data);
  return parsed.success ? parsed.data : undefined;
}
