// The console's run timeline (api/console/lib/timeline.js), fed the events and deltas a run sends:
// attempts stream and finish, a stream.reset is a discarded attempt followed by the fallback, tool
// cards collect their events, reviews update in place, context cuts, cache hits and forks are marked, and an event seen
// twice (a resumed stream) changes nothing.
type Timeline = { lastEventId: number; items: any[]; ended: any; costUsd: number };
type TimelineModule = {
  emptyTimeline(): Timeline;
  applyEvent(timeline: Timeline, event: unknown): boolean;
  applyDelta(timeline: Timeline, delta: unknown): void;
  fillFromTranscript(timeline: Timeline, messages: unknown[]): void;
};

// A path, not a literal: TypeScript does not type the browser module, the test's types above do.
const MODULE_PATH = '../../../api/console/lib/timeline.js';
let timelines: TimelineModule;
beforeAll(async () => {
  timelines = (await import(MODULE_PATH)) as TimelineModule;
});

let nextId = 1;
const event = (type: string, data: Record<string, unknown>) => ({ id: nextId++, runId: 'run_X', type, data, at: '2026-12-03T08:00:00.000Z' });
const usage = { inputTokens: 10, outputTokens: 5 };

describe('the console run timeline', () => {
  it('streams deltas into the open attempt, keeps reasoning apart and closes it with usage and cost', () => {
    const timeline = timelines.emptyTimeline();
    timelines.applyEvent(timeline, event('model-call.started', { step: 1, model: 'primary', attempt: 1 }));
    timelines.applyDelta(timeline, { step: 1, model: 'primary', kind: 'reasoning', text: 'Think.' });
    timelines.applyDelta(timeline, { step: 1, model: 'primary', kind: 'text', text: 'Hel' });
    timelines.applyDelta(timeline, { step: 1, model: 'primary', kind: 'text', text: 'lo.' });
    expect(timeline.items).toEqual([expect.objectContaining({ kind: 'attempt', status: 'streaming', text: 'Hello.', reasoning: 'Think.' })]);
    timelines.applyEvent(timeline, event('model-call.finished', { step: 1, model: 'primary', attempt: 1, usage, costUsd: 0.002, finishReason: 'stop', latencyMs: 40, toolCalls: [] }));
    expect(timeline.items[0]).toMatchObject({ status: 'finished', costUsd: 0.002, latencyMs: 40 });
    expect(timeline.costUsd).toBe(0.002);
  });

  it('marks a reset stream discarded and the next model\'s attempt as its fallback', () => {
    const timeline = timelines.emptyTimeline();
    timelines.applyEvent(timeline, event('model-call.started', { step: 1, model: 'primary', attempt: 1 }));
    timelines.applyDelta(timeline, { step: 1, model: 'primary', kind: 'text', text: 'The prim' });
    timelines.applyEvent(timeline, event('stream.reset', { step: 1, model: 'primary', error: 'stream broke', retryable: true, deltas: 1 }));
    // The backup's deltas overtake its started event: they open the attempt the event then names.
    timelines.applyDelta(timeline, { step: 1, model: 'backup', kind: 'text', text: 'Whole answer.' });
    timelines.applyEvent(timeline, event('model-call.started', { step: 1, model: 'backup', attempt: 1 }));
    const attempts = timeline.items.filter((item) => item.kind === 'attempt');
    expect(attempts).toEqual([
      expect.objectContaining({ model: 'primary', status: 'reset', text: 'The prim', discardedDeltas: 1, error: 'stream broke' }),
      expect.objectContaining({ model: 'backup', status: 'streaming', attempt: 1, text: 'Whole answer.', fallbackFrom: 'primary' }),
    ]);
  });

  it('gathers a tool call\'s start, finish and side effects on one card, and updates a review in place', () => {
    const timeline = timelines.emptyTimeline();
    timelines.applyEvent(timeline, event('review.requested', { reviewId: 'rev_1', kind: 'tool-call', step: 1, summary: 'bash needs approval', expiresAt: '2026-12-04T00:00:00Z', context: { arguments: { command: 'ls' } } }));
    timelines.applyEvent(timeline, event('review.decided', { reviewId: 'rev_1', kind: 'tool-call', step: 1, action: 'approve', status: 'approved', decidedBy: 'user-a' }));
    timelines.applyEvent(timeline, event('tool-call.started', { step: 1, callId: 'c1', toolName: 'bash', arguments: { command: 'ls' } }));
    timelines.applyEvent(timeline, event('side-effects.detected', { step: 1, callId: 'c1', toolName: 'bash', action: 'report', created: ['new.txt'], modified: [], deleted: [], counts: { created: 1, modified: 0, deleted: 0 }, listsTruncated: false }));
    timelines.applyEvent(timeline, event('tool-call.finished', { step: 1, callId: 'c1', toolName: 'bash', isError: false, outputPreview: 'new.txt', outputChars: 7, durationMs: 12, review: { action: 'approve' } }));
    expect(timeline.items).toEqual([
      expect.objectContaining({ kind: 'review', reviewId: 'rev_1', status: 'approved', decidedBy: 'user-a' }),
      expect.objectContaining({ kind: 'tool', callId: 'c1', status: 'done', outputPreview: 'new.txt', sideEffects: expect.objectContaining({ created: ['new.txt'] }), review: { action: 'approve' } }),
    ]);
  });

  it('marks a context cut and the end of the run', () => {
    const timeline = timelines.emptyTimeline();
    timelines.applyEvent(timeline, event('context.truncated', { step: 4, model: 'primary', contextWindow: 8000, reservedOutputTokens: 1000, transcriptMessages: 30, totalTokens: 12000, keptMessages: 10, droppedMessages: 20, droppedTokens: 6000, summary: 'new', summaryModel: 'cheap' }));
    timelines.applyEvent(timeline, event('run.completed', { type: 'completed', answer: 'Done.', step: 4, usage }));
    expect(timeline.items).toEqual([
      expect.objectContaining({ kind: 'context-cut', droppedMessages: 20, summary: 'new', summaryModel: 'cheap' }),
      expect.objectContaining({ kind: 'end', type: 'run.completed' }),
    ]);
    expect(timeline.ended).toMatchObject({ event: 'run.completed', type: 'completed', answer: 'Done.' });
  });

  it('marks a step answered from the cache, naming the earlier run and how close its request was', () => {
    const timeline = timelines.emptyTimeline();
    timelines.applyEvent(timeline, event('cache.hit', { step: 1, kind: 'response', model: 'primary', sourceRunId: 'run_A', sourceStep: 1 }));
    timelines.applyEvent(timeline, event('cache.hit', { step: 1, kind: 'similar_query', model: 'primary', sourceRunId: 'run_B', similarity: 0.9634 }));
    expect(timeline.items).toEqual([
      { kind: 'check', step: 1, title: 'Answered from the cache: an identical request', doubtful: false, detail: 'reused from run run_A, step 1' },
      { kind: 'check', step: 1, title: 'Answered from the cache: a similar request (similarity 0.96)', doubtful: false, detail: 'reused from run run_B' },
    ]);
  });

  it("marks where a fork came from: its parent, the step and the workspace it restored", () => {
    const timeline = timelines.emptyTimeline();
    timelines.applyEvent(timeline, event('run.started', { models: ['primary'], tools: ['read_file'] }));
    timelines.applyEvent(timeline, event('run.forked', { parentRunId: 'run_PARENT', fromStep: 2, workspaceFrom: { runId: 'run_PARENT', step: 2 }, restoredEntries: 3 }));
    expect(timeline.items[1]).toEqual({ kind: 'fork', parentRunId: 'run_PARENT', fromStep: 2, workspaceFrom: { runId: 'run_PARENT', step: 2 }, restoredEntries: 3 });
  });

  it('ignores an event it has already applied, so a resumed stream repeats nothing', () => {
    const timeline = timelines.emptyTimeline();
    const started = event('tool-call.started', { step: 1, callId: 'c1', toolName: 'read_file', arguments: { path: 'a' } });
    expect(timelines.applyEvent(timeline, started)).toBe(true);
    const saved = JSON.parse(JSON.stringify(timeline)) as Timeline;
    expect(timelines.applyEvent(saved, started)).toBe(false);
    expect(saved.items).toHaveLength(1);
    expect(saved.lastEventId).toBe(started.id);
  });

  it('fills a replayed attempt\'s text from the transcript (deltas are never stored)', () => {
    const timeline = timelines.emptyTimeline();
    timelines.applyEvent(timeline, event('model-call.started', { step: 2, model: 'primary', attempt: 1 }));
    timelines.applyEvent(timeline, event('model-call.finished', { step: 2, model: 'primary', attempt: 1, usage, costUsd: null, finishReason: 'stop', latencyMs: 5, toolCalls: [] }));
    timelines.fillFromTranscript(timeline, [
      { seq: 3, step: 2, message: { type: 'assistant', model: 'primary', parts: [{ type: 'reasoning', text: 'Hmm.' }, { type: 'text', text: 'From the transcript.' }] } },
    ]);
    expect(timeline.items[0]).toMatchObject({ text: 'From the transcript.', reasoning: 'Hmm.' });
  });
});
