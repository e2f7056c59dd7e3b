// A run's lifecycle states and how it ended.

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'step_limit_reached'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'step_limit_reached'];

export type RunOutcome =
  | { type: 'completed'; answer: string }
  | { type: 'failed'; error: string; failureType?: string }
  | { type: 'cancelled'; reason?: string }
  | { type: 'step_limit_reached'; maxSteps: number; message: string };
