// Data of the answer family: the final answer and the checks it passes (reflection, cross-validation).
import { z } from 'zod';
import { stepField } from './event-fields';
import { RUN_EVENT_TYPES } from './event-types';

export const answerFinalData = z.looseObject({
  step: stepField,
  model: z.string(),
  text: z.string(),
  /** A run with an output schema: whether the answer matched it (an invalid one goes back to the model). */
  output: z.looseObject({ valid: z.boolean(), errors: z.array(z.string()).optional() }).optional(),
});

export const answerReflectedData = z.looseObject({
  step: stepField,
  threshold: z.number(),
  model: z.string(),
  /** 0–100; 0 when the reflection could not be read. */
  confidence: z.number(),
  reasoning: z.string(),
  contradiction: z.string().nullable(),
  belowThreshold: z.boolean(),
  /** Why the model's reflection could not be used, when it could not. */
  error: z.string().optional(),
});

const crossValidationAnswer = z.looseObject({
  model: z.string(),
  answer: z.string().nullable(),
  /** The run's own final answer (the others are the validators'). */
  final: z.boolean().optional(),
  error: z.string().optional(),
});

export const answerCrossValidatedData = z.looseObject({
  step: stepField,
  agreed: z.boolean(),
  method: z.enum(['normalised', 'judge']),
  answers: z.array(crossValidationAnswer),
  /** Null when a normalised match settled it. */
  judgement: z.looseObject({ model: z.string(), agree: z.boolean(), reason: z.string(), error: z.string().optional() }).nullable(),
});

export const ANSWER_EVENT_DATA = {
  [RUN_EVENT_TYPES.finalAnswer]: answerFinalData,
  [RUN_EVENT_TYPES.answerReflected]: answerReflectedData,
  [RUN_EVENT_TYPES.answerCrossValidated]: answerCrossValidatedData,
} as const;
