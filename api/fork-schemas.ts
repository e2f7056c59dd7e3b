// The fork route's body (POST /v1/runs/:id/fork): the parent's step to continue from, an optional
// new user message, and what the fork changes (model, system prompt, limits, policy).
import { z } from 'zod';
import { MAX_MAX_STEPS } from '../core/run-input';
import { createRunBody, MAX_MESSAGE_CHARS } from './schemas';

export const forkOverrides = createRunBody.pick({ instructions: true, model: true, models: true, limits: true, policy: true }).strict();
export type ForkOverrides = z.infer<typeof forkOverrides>;

export const forkRunBody = z.object({
  fromStep: z.number().int().min(1).max(MAX_MAX_STEPS)
    .describe("The parent's step to continue from: the fork sees the parent as it stood after step k (its reply and tool results) and runs step k + 1 next."),
  message: z.string().trim().min(1, 'must not be empty').max(MAX_MESSAGE_CHARS).optional()
    .describe("A user message the fork reads before its first step (instead of the parent's later ones); required when step k ended with an answer."),
  overrides: forkOverrides.optional()
    .describe("What the fork changes: `model`/`models`, `instructions` (replaces the system prompt), `limits` and `policy` (merged over the parent's)."),
}).strict();
export type ForkRunBody = z.infer<typeof forkRunBody>;
