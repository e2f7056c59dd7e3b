// The lines a run shows in the Temporal Web UI: step summaries name the step, the model and what the
// step reads; the current details name the last step's tools or answer, and the outcome.
import type { StepOutput } from '../../../activities/contract';
import { finishSummary, MAX_SUMMARY_CHARS, outcomeDetails, stepDetails, stepSummary } from '../../../workflows/run-summaries';

const toolStep: StepOutput = {
  kind: 'tool-calls', modelId: 'local/a', usage: { inputTokens: 10, outputTokens: 5 }, transcriptSeq: 4,
  toolCalls: [{ callId: 'c1', toolName: 'write_file', isError: false }, { callId: 'c2', toolName: 'bash', isError: true }],
};

describe('run summaries', () => {
  it('names the step, the model and what the step reads', () => {
    const base = { step: 1, maxSteps: 20, modelId: 'local/a', newMessages: 0, resumed: false, fallback: false };
    expect(stepSummary(base)).toBe('Step 1/20 · local/a · reads the first message');
    expect(stepSummary({ ...base, step: 2, previous: toolStep, newMessages: 1 })).toBe('Step 2/20 · local/a · reads write_file, bash (failed); reads a new message');
    expect(stepSummary({ ...base, step: 2, previous: toolStep, fallback: true, modelId: 'local/b' })).toBe('Step 2/20 · local/b (fallback) · reads write_file, bash (failed)');
    expect(stepSummary({ ...base, step: 3, resumed: true })).toBe('Step 3/20 · local/a · resumes after a review');
    expect(stepSummary({ ...base, modelId: 'x'.repeat(300) })).toHaveLength(MAX_SUMMARY_CHARS);
  });

  it('describes the last step and the outcome as markdown', () => {
    expect(stepDetails(2, 20, toolStep, { inputTokens: 30, outputTokens: 9 })).toBe('**Step 2 of 20** on `local/a`: called write_file, bash (failed)\n\nTokens so far: 30 in / 9 out');
    expect(stepDetails(3, 20, { ...toolStep, kind: 'final', toolCalls: [], answerPreview: 'All\ndone.' }, { inputTokens: 1, outputTokens: 1 })).toMatch(/^\*\*Step 3 of 20\*\* on `local\/a`: answered: All done\./);
    expect(outcomeDetails({ type: 'completed', answer: 'Done.' }, 1, { inputTokens: 3, outputTokens: 2 })).toBe('**Run completed** after 1 step: Done.\n\nTokens: 3 in / 2 out');
    expect(outcomeDetails({ type: 'step_limit_reached', maxSteps: 5, message: 'out of steps' }, 5, { inputTokens: 0, outputTokens: 0 })).toMatch(/^\*\*Run step limit reached\*\* after 5 steps: out of steps/);
    expect(finishSummary({ type: 'cancelled' })).toBe('Finish · cancelled');
  });
});
