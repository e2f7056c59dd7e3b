// Model-based checks: predicted outcomes of risky tool calls, self-reflection on answers and
// cross-model validation — their prompts, answer schemas and the deterministic parts.
export { normaliseAnswer, normalisedAgreement } from './answer-normalisation';
export {
  CROSS_VALIDATION_INSTRUCTIONS,
  CROSS_VALIDATION_MAX_OUTPUT_TOKENS,
  JUDGE_MAX_OUTPUT_TOKENS,
  JUDGE_SYSTEM_PROMPT,
  judgePrompt,
  judgeVerdictSchema,
  readJudgeVerdict,
  validatorSystemPrompt,
  type JudgeVerdict,
} from './cross-validation';
export { classifyDestructiveCall, type DestructiveCallRequest, type DestructiveClassification, type FileKindReader } from './destructive-calls';
export { assistantStatements, sameRequestContradiction, type EarlierStatement } from './earlier-answers';
export { effectConflicts, type EffectConflict } from './effect-conflicts';
export { parseModelJson, type ModelJsonResult } from './model-json';
export { normaliseEffects, OUTCOME_EFFECTS, type OutcomeEffect } from './outcome-effects';
export {
  decidePrediction,
  mismatchMessage,
  PREDICTION_MAX_OUTPUT_TOKENS,
  PREDICTION_SYSTEM_PROMPT,
  predictionAnswerSchema,
  predictionPrompt,
  unverifiedPrediction,
  type OutcomePrediction,
  type PredictionAnswer,
  type PredictionVerdict,
} from './outcome-prediction';
export {
  decideReflection,
  REFLECTION_MAX_OUTPUT_TOKENS,
  REFLECTION_SYSTEM_PROMPT,
  reflectionAnswerSchema,
  reflectionPrompt,
  type Reflection,
  type ReflectionAnswer,
} from './reflection';
export { intentsOf, REQUEST_INTENTS, type RequestIntent, type RequestIntents } from './request-intents';
export { requestText, userRequestOf, type UserRequest } from './user-request';
