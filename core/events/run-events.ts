// Data of the run family: a run started, a message joined its transcript, and how it ended.
import { z } from 'zod';
import { budgetSchema, stepField, usageSchema } from './event-fields';
import { RUN_EVENT_TYPES } from './event-types';

/**
 * Two producers: the first step (models, and complexity when pooled) and the pool's first plan
 * (models, complexity and budget), both with the run's tools.
 */
export const runStartedData = z.looseObject({
  models: z.array(z.string()),
  complexity: z.string().optional(),
  budget: budgetSchema.nullable().optional(),
  tools: z.array(z.string()),
});

/** A fork's first step (api POST /v1/runs/:id/fork): the parent and step k; the fork's own steps start at k + 1. */
export const runForkedData = z.looseObject({
  parentRunId: z.string(),
  fromStep: z.number().int(),
  /** The step whose workspace snapshot was restored (the last at or before k that changed files), and its run; null: none did, the workspace starts empty. */
  workspaceFrom: z.looseObject({ runId: z.string(), step: z.number().int() }).nullable(),
  /** Workspace entries (files, folders, symlinks) restored. */
  restoredEntries: z.number().int(),
});

export const messageReceivedData = z.looseObject({
  step: stepField,
  role: z.enum(['system', 'user', 'assistant', 'tool-result']),
  /** The first 500 characters. */
  text: z.string(),
});

/** What every terminal event carries besides its outcome (activities/finish-run.ts). */
const ending = { step: stepField, usage: usageSchema, costUsd: z.number().optional() };

export const runCompletedData = z.looseObject({ type: z.literal('completed'), answer: z.string(), ...ending });
export const runFailedData = z.looseObject({ type: z.literal('failed'), error: z.string(), failureType: z.string().optional(), ...ending });
export const runCancelledData = z.looseObject({ type: z.literal('cancelled'), reason: z.string().optional(), ...ending });
export const runStepLimitReachedData = z.looseObject({ type: z.literal('step_limit_reached'), maxSteps: z.number(), message: z.string(), ...ending });
export const runBudgetExceededData = z.looseObject({
  type: z.literal('budget_exceeded'),
  maxCostPerRun: z.number().optional(),
  maxCostPerCall: z.number().optional(),
  message: z.string(),
  ...ending,
  // The outcome's own costUsd: required there, so the event always has it.
  costUsd: z.number(),
});

export const RUN_EVENT_DATA = {
  [RUN_EVENT_TYPES.runStarted]: runStartedData,
  [RUN_EVENT_TYPES.runForked]: runForkedData,
  [RUN_EVENT_TYPES.messageReceived]: messageReceivedData,
  [RUN_EVENT_TYPES.runCompleted]: runCompletedData,
  [RUN_EVENT_TYPES.runFailed]: runFailedData,
  [RUN_EVENT_TYPES.runCancelled]: runCancelledData,
  [RUN_EVENT_TYPES.runStepLimitReached]: runStepLimitReachedData,
  [RUN_EVENT_TYPES.runBudgetExceeded]: runBudgetExceededData,
} as const;
