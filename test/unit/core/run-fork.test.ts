// Where a fork starts: step k is complete once its reply and every tool result are recorded; the
// fork reads through the step's last seq, needs a message after an answer, and restores the
// workspace of the last step up to k that ran tools (an ancestor's, for a fork of a fork).
import { completeSteps, forkPointOf, isForkPointProblem, type ForkableEntry } from '../../../core/run-fork';
import type { Message } from '../../../core/messages';

const toolCalls = (...callIds: string[]): Message => ({ type: 'assistant', parts: callIds.map((callId) => ({ type: 'tool-call' as const, callId, toolName: 'write_file', arguments: {} })) });
const answer = (text: string): Message => ({ type: 'assistant', parts: [{ type: 'text', text }] });
const result = (callId: string): Message => ({ type: 'tool-result', callId, toolName: 'write_file', output: 'ok', isError: false });

/** system, user, then: step 1 one call, step 2 two calls, step 3 a text-only reply, step 4 a call whose result is missing. */
function transcript(inheritedFrom?: string): ForkableEntry[] {
  const rows: Array<Omit<ForkableEntry, 'seq'>> = [
    { step: 1, sourceKey: 'system', message: { type: 'system', text: 'be careful' } },
    { step: 1, sourceKey: 'user:first', message: { type: 'user', text: 'write' } },
    { step: 1, sourceKey: 'assistant:1', message: toolCalls('a') },
    { step: 1, sourceKey: 'tool:1:0', message: result('a') },
    { step: 2, sourceKey: 'assistant:2', message: toolCalls('b', 'c') },
    { step: 2, sourceKey: 'tool:2:0', message: result('b') },
    { step: 2, sourceKey: 'tool:2:1', message: result('c') },
    { step: 3, sourceKey: 'user:later', message: { type: 'user', text: 'and now?' } },
    { step: 3, sourceKey: 'assistant:3', message: answer('thinking aloud') },
    { step: 4, sourceKey: 'assistant:4', message: toolCalls('d') },
  ];
  return rows.map((row, index) => ({ ...row, seq: index + 1, ...(inheritedFrom !== undefined && index < 4 && { inheritedFrom }) }));
}

describe('fork points', () => {
  it('counts a step complete only when every tool call of its reply has a result', () => {
    expect(completeSteps(transcript())).toEqual([1, 2, 3]);
  });

  it("reads through the step's last seq and restores the workspace of the last step with tools", () => {
    expect(forkPointOf('run_p', transcript(), 2)).toEqual({ fromStep: 2, throughSeq: 7, endedWithAnswer: false, workspaceStep: { runId: 'run_p', step: 2 } });
    // Step 3 ran no tools: its workspace is step 2's; its reply was an answer, so a fork needs a message.
    expect(forkPointOf('run_p', transcript(), 3)).toEqual({ fromStep: 3, throughSeq: 9, endedWithAnswer: true, workspaceStep: { runId: 'run_p', step: 2 } });
  });

  it("names the ancestor whose rows the workspace's step is, for a fork of a fork", () => {
    expect(forkPointOf('run_child', transcript('run_grandparent'), 1)).toMatchObject({ workspaceStep: { runId: 'run_grandparent', step: 1 } });
    expect(forkPointOf('run_child', transcript('run_grandparent'), 2)).toMatchObject({ workspaceStep: { runId: 'run_child', step: 2 } });
  });

  it('skips steps whose calls cannot change the workspace', () => {
    const entries = transcript().slice(0, 7);
    entries.push(
      { seq: 8, step: 3, sourceKey: 'assistant:3', message: { type: 'assistant', parts: [{ type: 'tool-call', callId: 'r', toolName: 'read_file', arguments: {} }] } },
      { seq: 9, step: 3, sourceKey: 'tool:3:0', message: { type: 'tool-result', callId: 'r', toolName: 'read_file', output: 'text', isError: false } },
    );
    expect(forkPointOf('run_p', entries, 3)).toMatchObject({ throughSeq: 9, workspaceStep: { runId: 'run_p', step: 2 } });
  });

  it('has no workspace step when no tool ran up to the step', () => {
    const entries = transcript().filter((entry) => entry.sourceKey !== 'assistant:1' && entry.sourceKey !== 'tool:1:0');
    entries.unshift({ seq: 3, step: 1, sourceKey: 'assistant:1', message: answer('hello') });
    const point = forkPointOf('run_p', entries, 1);
    expect(point).toEqual({ fromStep: 1, throughSeq: 3, endedWithAnswer: true });
  });

  it('refuses a step beyond the complete ones and a step still waiting for tool results, by name', () => {
    const beyond = forkPointOf('run_p', transcript(), 9);
    expect(isForkPointProblem(beyond) && beyond).toMatchObject({ code: 'step_out_of_range', lastStep: 3 });
    const waiting = forkPointOf('run_p', transcript(), 4);
    expect(isForkPointProblem(waiting) && waiting).toMatchObject({ code: 'step_incomplete', lastStep: 3 });
    expect(isForkPointProblem(forkPointOf('run_p', [], 1))).toBe(true);
  });
});
