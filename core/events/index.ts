// Run events: their names, the schema of each one's data by family, and the union of them all.
export { RUN_EVENT_TYPES, TERMINAL_EVENT_TYPES, type RunEventType } from './event-types';
export {
  BusMessageSchema,
  DeltaDataSchema,
  DeltaEventSchema,
  RUN_EVENT_DATA_SCHEMAS,
  RunEventSchema,
  runEvent,
  type BusMessage,
  type DeltaEvent,
  type NewRunEvent,
  type RunEvent,
  type RunEventData,
} from './run-event-schema';
export { runCancelledData, runCompletedData, runFailedData, runStartedData, runForkedData, messageReceivedData, runStepLimitReachedData, runBudgetExceededData } from './run-events';
export { modelSelectedData, modelCallStartedData, modelCallFinishedData, modelCallFailedData, streamResetData, deltaData } from './model-events';
export { toolCallStartedData, toolCallFinishedData, toolCallPredictionMismatchData, sideEffectsDetectedData, sideEffectsRolledBackData } from './tool-events';
export { reviewRequestedData, reviewDecidedData, reviewExpiredData } from './review-events';
export { answerFinalData, answerReflectedData, answerCrossValidatedData } from './answer-events';
export { contextTruncatedData } from './context-events';
export { cacheHitData } from './cache-events';
export { scoreRecordedData } from './eval-events';
