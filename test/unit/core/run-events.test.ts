// Each event family's schemas: a valid example parses, an invalid one names its bad field.
import {
  answerCrossValidatedData, answerFinalData, cacheHitData, answerReflectedData, contextTruncatedData, deltaData, modelCallFailedData, modelCallFinishedData,
  modelSelectedData, reviewDecidedData, reviewRequestedData, runCompletedData, RunEventSchema, runStartedData, sideEffectsDetectedData,
  sideEffectsRolledBackData, toolCallFinishedData, toolCallStartedData,
} from '../../../core/events';
import type { z } from 'zod';

type Example = { family: string; name: string; schema: z.ZodType; valid: unknown; invalid: unknown; field: string };

const usage = { inputTokens: 10, outputTokens: 2 };
const examples: Example[] = [
  { family: 'run', name: 'run.started', schema: runStartedData, valid: { models: ['local/a'], tools: ['bash'] }, invalid: { models: 'local/a', tools: [] }, field: 'models' },
  { family: 'run', name: 'run.completed', schema: runCompletedData, valid: { type: 'completed', answer: 'ok', step: 2, usage }, invalid: { type: 'completed', step: 2, usage }, field: 'answer' },
  { family: 'model', name: 'model.selected (an earlier version wrote only the step)', schema: modelSelectedData, valid: { step: 1 }, invalid: { decision: 'cheap' }, field: 'step' },
  { family: 'model', name: 'model-call.finished', schema: modelCallFinishedData, valid: { step: 1, model: 'm', attempt: 1, usage, costUsd: null, finishReason: 'stop', latencyMs: 5, toolCalls: [] }, invalid: { step: 1, model: 'm', attempt: 1, usage, costUsd: '0.1', finishReason: 'stop', latencyMs: 5, toolCalls: [] }, field: 'costUsd' },
  { family: 'model', name: 'model-call.failed (refused, never called)', schema: modelCallFailedData, valid: { step: 1, model: 'm', error: 'over budget', failureType: 'BudgetExceeded', retryable: false, called: false }, invalid: { step: 1, model: 'm', error: 'x', failureType: null, retryable: 'no' }, field: 'retryable' },
  { family: 'model', name: 'delta', schema: deltaData, valid: { step: 1, model: 'm', kind: 'tool-call', text: '{"a', callId: 'c1' }, invalid: { step: 1, model: 'm', kind: 'image', text: '' }, field: 'kind' },
  { family: 'tool', name: 'tool-call.started', schema: toolCallStartedData, valid: { step: 1, callId: 'c', toolName: 'bash', arguments: { command: 'ls' } }, invalid: { step: 1, callId: 'c', toolName: 'bash', arguments: 'ls' }, field: 'arguments' },
  { family: 'tool', name: 'tool-call.finished', schema: toolCallFinishedData, valid: { step: 1, callId: 'c', toolName: 'bash', isError: false, outputPreview: 'ok', outputChars: 2, durationMs: 3, compressed: { reference: 'k', contextChars: 10 } }, invalid: { step: 1, callId: 'c', toolName: 'bash', isError: false, outputChars: 2, durationMs: 3 }, field: 'outputPreview' },
  { family: 'tool', name: 'side-effects.detected', schema: sideEffectsDetectedData, valid: { step: 1, callId: 'c', toolName: 'bash', action: 'report', created: ['a'], modified: [], deleted: [], counts: { created: 1, modified: 0, deleted: 0 }, listsTruncated: false }, invalid: { step: 1, callId: 'c', toolName: 'bash', action: 'none', created: [], modified: [], deleted: [], counts: { created: 0, modified: 0, deleted: 0 }, listsTruncated: false }, field: 'action' },
  { family: 'tool', name: 'side-effects.rolled-back (by a reviewer)', schema: sideEffectsRolledBackData, valid: { step: 1, toolName: 'bash', reviewId: 'rev_1', restored: ['a'], removed: [], failed: [] }, invalid: { step: 1, toolName: 'bash', restored: [], removed: [], failed: ['a'] }, field: 'failed.0' },
  { family: 'review', name: 'review.requested', schema: reviewRequestedData, valid: { reviewId: 'rev_1', kind: 'tool-call', step: 1, summary: 's', expiresAt: '2026-01-01T00:00:00.000Z', context: {} }, invalid: { reviewId: 'rev_1', kind: 'coffee', step: 1, summary: 's', expiresAt: 'x', context: {} }, field: 'kind' },
  { family: 'review', name: 'review.decided', schema: reviewDecidedData, valid: { reviewId: 'rev_1', kind: 'reflection', step: 2, action: 'approve', status: 'approved', decidedBy: 'u1' }, invalid: { reviewId: 'rev_1', kind: 'reflection', step: 2, action: 'approve', status: 'approved' }, field: 'decidedBy' },
  { family: 'answer', name: 'answer.final', schema: answerFinalData, valid: { step: 3, model: 'm', text: 'done' }, invalid: { step: -1, model: 'm', text: 'done' }, field: 'step' },
  { family: 'answer', name: 'answer.reflected', schema: answerReflectedData, valid: { step: 3, threshold: 70, model: 'm', confidence: 90, reasoning: 'r', contradiction: null, belowThreshold: false }, invalid: { step: 3, threshold: 70, model: 'm', confidence: 90, reasoning: 'r', belowThreshold: false }, field: 'contradiction' },
  { family: 'answer', name: 'answer.cross-validated', schema: answerCrossValidatedData, valid: { step: 3, agreed: true, method: 'normalised', answers: [{ model: 'm', answer: '4', final: true }], judgement: null }, invalid: { step: 3, agreed: true, method: 'vote', answers: [], judgement: null }, field: 'method' },
  { family: 'context', name: 'context.truncated', schema: contextTruncatedData, valid: { step: 4, model: 'm', contextWindow: 8000, reservedOutputTokens: 1000, transcriptMessages: 30, totalTokens: 6000, keptMessages: 10, droppedMessages: 20, droppedTokens: 9000, summary: 'new', summaryModel: 's' }, invalid: { step: 4, model: 'm', contextWindow: 8000, reservedOutputTokens: 1000, transcriptMessages: 30, totalTokens: 6000, keptMessages: 10, droppedMessages: 20, droppedTokens: 9000, summary: 'old' }, field: 'summary' },
  { family: 'cache', name: 'cache.hit (identical request)', schema: cacheHitData, valid: { step: 2, kind: 'response', model: 'm', sourceRunId: 'run_A', sourceStep: 2, savedUsage: usage }, invalid: { step: 2, kind: 'exact', model: 'm', sourceRunId: 'run_A' }, field: 'kind' },
  { family: 'cache', name: 'cache.hit (similar request)', schema: cacheHitData, valid: { step: 1, kind: 'similar_query', model: 'm', sourceRunId: 'run_A', similarity: 0.97 }, invalid: { step: 1, kind: 'similar_query', model: 'm', similarity: 0.97 }, field: 'sourceRunId' },
];

describe.each(['run', 'model', 'tool', 'review', 'answer', 'context', 'cache'])('the %s event family', (family) => {
  const mine = examples.filter((example) => example.family === family);

  it.each(mine.map((example) => [example.name, example] as const))('parses a valid %s', (_name, example) => {
    expect(example.schema.safeParse(example.valid).success).toBe(true);
  });

  it.each(mine.map((example) => [example.name, example] as const))('rejects an invalid %s, naming the field', (_name, example) => {
    const parsed = example.schema.safeParse(example.invalid);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(example.field);
  });
});

describe('RunEventSchema', () => {
  const event = { id: 7, runId: 'run_1', type: 'answer.final', data: { step: 1, model: 'm', text: 'hi' }, at: '2026-01-01T00:00:00.000Z' };

  it('keeps a field a newer producer added rather than stripping it', () => {
    const parsed = RunEventSchema.parse({ ...event, data: { ...event.data, extra: 1 } });
    expect(parsed.data).toEqual({ ...event.data, extra: 1 });
  });

  it('checks the data against the schema of its type', () => {
    expect(RunEventSchema.safeParse({ ...event, type: 'tool-call.started' }).success).toBe(false);
  });

  it('rejects a type it does not know', () => {
    expect(RunEventSchema.safeParse({ ...event, type: 'answer.shouted' }).success).toBe(false);
  });
});
