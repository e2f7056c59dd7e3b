// The names of run events (noun then verb; clients follow them over SSE) and which of them end a run.
// Their data's schemas are by family beside this file; run-event-schema.ts joins them.

export const RUN_EVENT_TYPES = {
  runStarted: 'run.started',
  /** A fork's first step: the run it continues, from which step, and the workspace it restored. */
  runForked: 'run.forked',
  runCompleted: 'run.completed',
  runFailed: 'run.failed',
  runCancelled: 'run.cancelled',
  runStepLimitReached: 'run.step-limit-reached',
  runBudgetExceeded: 'run.budget-exceeded',
  /** The pool chose the models of a step: the decision, the candidates in order and why others were left out. */
  modelSelected: 'model.selected',
  messageReceived: 'message.received',
  modelCallStarted: 'model-call.started',
  modelCallFinished: 'model-call.finished',
  modelCallFailed: 'model-call.failed',
  toolCallStarted: 'tool-call.started',
  toolCallFinished: 'tool-call.finished',
  /** A confirm-level or destructive call was not run: its predicted outcome does not match the user's request. */
  toolCallPredictionMismatch: 'tool-call.prediction-mismatch',
  /** A tool call changed workspace paths it did not name: the lists, and what the run's policy does about it. */
  sideEffectsDetected: 'side-effects.detected',
  /** Those changes were undone from the snapshot taken before the call. */
  sideEffectsRolledBack: 'side-effects.rolled-back',
  finalAnswer: 'answer.final',
  /** Self-reflection on a final answer: confidence, whether it is below the threshold, any contradiction. */
  answerReflected: 'answer.reflected',
  /** Several models answered a critical run's request: whether they agree, how that was judged, every answer. */
  answerCrossValidated: 'answer.cross-validated',
  streamReset: 'stream.reset',
  /** A run waits for a human: a risky tool call, unexpected side effects, failed corrections, a doubtful answer. */
  reviewRequested: 'review.requested',
  reviewDecided: 'review.decided',
  /** Nobody decided in time; the policy's escalation decided. */
  reviewExpired: 'review.expired',
  /** A step's context was cut to the model's window: kept and dropped counts, and which summary stood in. */
  contextTruncated: 'context.truncated',
  /** A step was answered from the cache (an identical request's reply, or a similar earlier run's answer), naming the earlier run. */
  cacheHit: 'cache.hit',
  /** A scorer's verdict on a finished run (an eval): score 0..1, passed, reason. */
  scoreRecorded: 'score.recorded',
} as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[keyof typeof RUN_EVENT_TYPES];

export const TERMINAL_EVENT_TYPES: readonly string[] = [
  RUN_EVENT_TYPES.runCompleted,
  RUN_EVENT_TYPES.runFailed,
  RUN_EVENT_TYPES.runCancelled,
  RUN_EVENT_TYPES.runStepLimitReached,
  RUN_EVENT_TYPES.runBudgetExceeded,
];
