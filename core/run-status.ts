// A run's lifecycle states and how it ended.

export const RUN_STATUSES = ['queued', 'running', 'awaiting_review', 'completed', 'failed', 'cancelled', 'step_limit_reached', 'budget_exceeded'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'step_limit_reached', 'budget_exceeded'];

export type RunOutcome =
  | { type: 'completed'; answer: string }
  | { type: 'failed'; error: string; failureType?: string }
  | { type: 'cancelled'; reason?: string }
  | { type: 'step_limit_reached'; maxSteps: number; message: string }
  /** The next model call would have overrun the run's budget (or every model is over the per-call cap). */
  | { type: 'budget_exceeded'; costUsd: number; maxCostPerRun?: number; maxCostPerCall?: number; message: string };
