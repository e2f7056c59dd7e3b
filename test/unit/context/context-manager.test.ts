// The worker's context manager with in-memory stores: a summary is written once and reused by a
// retried step (even on another worker), a failing summary model leaves a placeholder instead of
// failing the step, and oversized tool outputs become a summary and a reference.
import { ContextManager } from '../../../activities/model-turn/context-manager';
import { ContextSummaries } from '../../../activities/model-turn/context-summaries';
import type { SummaryWriter, WrittenSummary } from '../../../activities/model-turn/summary-writer';
import { WorkerCalibration } from '../../../activities/model-turn/token-calibrations';
import type { CachedTranscript } from '../../../activities/records/transcript-cache';
import { isCompressedOutput, placeholderText } from '../../../core/context';
import type { Message } from '../../../core/messages';
import type { ModelSpec } from '../../../core/model-spec';
import type { ContextSummaryRecord } from '../../../stores/context-summaries-repository';

const spec: ModelSpec = { id: 'small-window', provider: 'openai', model: 'gpt-4o-mini', contextWindow: 3_000, maxOutputTokens: 500 };

function transcript(turns: number): CachedTranscript {
  const messages: Message[] = [{ type: 'system', text: 'You are careful.' }, { type: 'user', text: 'Read every file.' }];
  for (let index = 0; index < turns; index += 1) {
    messages.push(
      { type: 'assistant', parts: [{ type: 'tool-call', callId: `call_${index}`, toolName: 'read_file', arguments: { path: `f${index}` } }] },
      { type: 'tool-result', callId: `call_${index}`, toolName: 'read_file', output: 'lorem ipsum '.repeat(60), isError: false },
    );
  }
  return { entries: messages.map((message, index) => ({ seq: index + 1, step: 1, sourceKey: `k${index}`, message })), lastSeq: messages.length };
}

function setup(answer: () => Promise<WrittenSummary | undefined>, rows = new Map<string, ContextSummaryRecord>()) {
  const calls: string[] = [];
  const writer = { write: async (_scope: unknown, request: { user: string }) => { calls.push(request.user); return answer(); } } as unknown as SummaryWriter;
  const repository = {
    latest: async (_tenant: string, runId: string) => rows.get(runId),
    save: async (_tenant: string, runId: string, summary: ContextSummaryRecord) => void rows.set(runId, summary),
  };
  const manager = new ContextManager({
    calibration: new WorkerCalibration({ load: async () => ({ models: {} }), save: async () => undefined }),
    summaries: new ContextSummaries(repository),
    writer,
  });
  return { manager, calls, rows };
}

describe('the context manager', () => {
  it('writes a summary once and a retried step on another worker reuses it', async () => {
    const first = setup(async () => ({ text: 'Files 0-20 were lorem ipsum.', model: 'small' }));
    const input = { runId: 'run_1', tenantId: 't', step: 5, spec, transcript: transcript(30), tools: [] };
    const built = await first.manager.build(input);
    await built.pendingWrite;
    expect(first.calls).toHaveLength(1);
    expect(built.totalTokens).toBeLessThanOrEqual(2_500);
    expect(built.event?.data).toMatchObject({ summary: 'new', summaryModel: 'small', contextWindow: 3_000, reservedOutputTokens: 500 });
    expect(built.messages).toContainEqual(expect.objectContaining({ type: 'user', text: expect.stringContaining('Files 0-20 were lorem ipsum.') }));

    const other = setup(async () => ({ text: 'should not be asked', model: 'small' }), first.rows);
    const retried = await other.manager.build({ ...input, retry: true });
    expect(other.calls).toHaveLength(0);
    expect(retried.event?.data.summary).toBe('reused');
    expect(retried.messages).toEqual(built.messages);
  });

  it('falls back to the placeholder when the summary model fails, and reuses that cut without asking again', async () => {
    const { manager, rows, calls } = setup(async () => undefined);
    const input = { runId: 'run_2', tenantId: 't', step: 5, spec, transcript: transcript(30), tools: [] };
    const built = await manager.build(input);
    await built.pendingWrite;
    expect(built.event?.data.summary).toBe('placeholder');
    expect(built.messages.some((message) => message.type === 'user' && message.text === placeholderText(Number(built.event?.data.droppedMessages)))).toBe(true);
    expect(rows.get('run_2')).toMatchObject({ text: '', model: 'placeholder' });
    const next = await manager.build({ ...input, step: 6 });
    expect(next.event?.data.summary).toBe('reused');
    expect(next.messages).toEqual(built.messages);
    expect(calls).toHaveLength(1);
  });

  it('sends a transcript that fits without reading or writing any summary', async () => {
    const { manager, calls } = setup(async () => ({ text: 'x', model: 'small' }));
    const built = await manager.build({ runId: 'run_3', tenantId: 't', step: 1, spec, transcript: transcript(2), tools: [] });
    expect(built.event).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it('compresses an oversized tool output to a summary and a reference, but never a read_tool_output page', async () => {
    const { manager, calls } = setup(async () => ({ text: 'A list of 2000 numbers.', model: 'small' }));
    const output = Array.from({ length: 2000 }, (_, index) => `value ${index}`).join('\n');
    const base = { runId: 'run_4', tenantId: 't', step: 3, spec, toolArguments: {}, output, reference: 's3_0_call_1', runTools: ['bash', 'read_tool_output'] };
    const compressed = await manager.compressToolOutput({ ...base, toolName: 'bash' });
    expect(compressed).toMatch(/^A list of 2000 numbers\.\n\[full output: ref s3_0_call_1, \d+ tokens; call read_tool_output to see it\]$/);
    expect(calls[0]).toMatch(/^Summarise the output of the tool bash/);
    expect(await manager.compressToolOutput({ ...base, toolName: 'read_tool_output' })).toBeUndefined();
    expect(await manager.compressToolOutput({ ...base, toolName: 'bash', output: 'short' })).toBeUndefined();
  });

  it('does not point the model at read_tool_output when the run does not have that tool', async () => {
    const { manager } = setup(async () => ({ text: 'A list of 2000 numbers.', model: 'small' }));
    const output = Array.from({ length: 2000 }, (_, index) => `value ${index}`).join('\n');
    const compressed = await manager.compressToolOutput({ runId: 'run_4b', tenantId: 't', step: 3, spec, toolName: 'bash', toolArguments: {}, output, reference: 'r9', runTools: ['bash', 'read_file'] });
    expect(compressed).toMatch(/^A list of 2000 numbers\.\n\[full output: ref r9, \d+ tokens; stored, but not readable in this run\]$/);
    expect(compressed).not.toContain('read_tool_output');
    expect(isCompressedOutput(compressed!)).toBe(true);
  });

  it('keeps the head of the output when the summary model fails', async () => {
    const { manager } = setup(async () => undefined);
    const output = Array.from({ length: 2000 }, (_, index) => `value ${index}`).join('\n');
    const compressed = await manager.compressToolOutput({ runId: 'run_5', tenantId: 't', step: 3, spec, toolName: 'bash', toolArguments: {}, output, reference: 'ref1', runTools: ['read_tool_output'] });
    expect(compressed).toMatch(/^\[no summary available; the output begins:\]\nvalue 0\nvalue 1\n/);
    expect(compressed).toMatch(/\[full output: ref ref1, \d+ tokens; call read_tool_output to see it\]$/);
  });

  it('still compresses, with the head of the output, when the summary call is cancelled', async () => {
    const { manager } = setup(async () => { throw new Error('aborted'); });
    const output = Array.from({ length: 2000 }, (_, index) => `value ${index}`).join('\n');
    const compressed = await manager.compressToolOutput({ runId: 'run_6', tenantId: 't', step: 3, spec, toolName: 'bash', toolArguments: {}, output, reference: 'ref2', runTools: ['read_tool_output'] });
    expect(compressed).toMatch(/^\[no summary available; the output begins:\]\nvalue 0\n/);
  });
});
