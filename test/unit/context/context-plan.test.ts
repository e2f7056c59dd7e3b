// Planning a step's context: whole when it fits, a new cut with a summary when it does not, the
// stored summary reused while the transcript still fits around it, and extended when it no longer does.
import { createTokenCounter, placeholderText, planContext, type SequencedMessage, type StoredSummary } from '../../../core/context';
import type { Message } from '../../../core/messages';

const counter = createTokenCounter('gpt-4o', 'openai');

function toolTurn(index: number, outputWords = 60): Message[] {
  const callId = `call_${index}`;
  return [
    { type: 'assistant', parts: [{ type: 'tool-call', callId, toolName: 'read_file', arguments: { path: `file-${index}.txt` } }] },
    { type: 'tool-result', callId, toolName: 'read_file', output: `contents of file ${index}: ${'lorem ipsum '.repeat(outputWords)}`, isError: false },
  ];
}

function transcript(turns: number, extra: Message[] = []): SequencedMessage[] {
  const messages: Message[] = [
    { type: 'system', text: 'You are a careful coding agent.' },
    { type: 'user', text: 'Read every file and report.' },
    ...extra,
  ];
  for (let index = 0; index < turns; index += 1) messages.push(...toolTurn(index));
  return messages.map((message, index) => ({ seq: index + 1, message }));
}

describe('planning a step context', () => {
  it('sends the whole transcript when it fits the window', () => {
    const entries = transcript(3);
    const plan = planContext({ entries, counter, contextWindow: 100_000, reservedOutputTokens: 4096 });
    expect(plan.kind).toBe('whole');
    if (plan.kind !== 'whole') return;
    expect(plan.messages).toEqual(entries.map((entry) => entry.message));
    expect(plan.totalTokens).toBe(counter.countRequest(undefined, plan.messages, []));
  });

  it('cuts the middle, asks for a summary of it and never exceeds the window with the summary in', () => {
    const entries = transcript(40);
    const plan = planContext({ entries, counter, contextWindow: 3_000, reservedOutputTokens: 500, summaryMaxTokens: 200 });
    expect(plan.kind).toBe('summarise');
    if (plan.kind !== 'summarise') return;
    expect(plan.summaryTokenLimit).toBeGreaterThan(0);
    expect(plan.newlyDropped.length).toBe(plan.coverage.droppedCount);
    const built = plan.complete('The agent read files 0 to 20; all held lorem ipsum. '.repeat(100));
    expect(built.totalTokens).toBeLessThanOrEqual(2_500);
    expect(built.messages[0]).toBe(entries[0]!.message);
    const summary = built.messages.find((message) => message.type === 'user' && message.text.startsWith('[Summary of'));
    expect(summary).toBeDefined();
    // Cut to leave headroom, so the next steps can reuse this summary.
    expect(built.totalTokens).toBeLessThanOrEqual(2_500 * 0.8 + 250);
  });

  it('falls back to the placeholder when no summary text is given', () => {
    const entries = transcript(40);
    const plan = planContext({ entries, counter, contextWindow: 3_000, reservedOutputTokens: 500 });
    if (plan.kind !== 'summarise') throw new Error('expected a cut');
    const built = plan.complete(undefined);
    expect(built.messages).toContainEqual({ type: 'user', text: placeholderText(plan.coverage.droppedCount) });
  });

  it('reuses the stored summary while the grown transcript fits around it, and extends it when it does not', () => {
    const entries = transcript(40);
    const options = { counter, contextWindow: 3_000, reservedOutputTokens: 500, summaryMaxTokens: 200 };
    const first = planContext({ ...options, entries });
    if (first.kind !== 'summarise') throw new Error('expected a cut');
    const stored: StoredSummary = { ...first.coverage, text: 'Files 0 to 30 held lorem ipsum.' };

    const grown = transcript(41);
    const second = planContext({ ...options, entries: grown, previous: stored });
    expect(second.kind).toBe('reused');
    if (second.kind !== 'reused') return;
    expect(second.totalTokens).toBeLessThanOrEqual(2_500);
    expect(second.droppedCount).toBe(stored.droppedCount);
    expect(second.messages.at(-1)).toBe(grown.at(-1)!.message);

    const longer = transcript(60);
    const third = planContext({ ...options, entries: longer, previous: stored });
    expect(third.kind).toBe('summarise');
    if (third.kind !== 'summarise') return;
    // Only what the stored summary does not cover goes to the summariser.
    const covered = new Set(longer.filter((entry) => entry.seq >= stored.fromSeq && entry.seq <= stored.throughSeq).map((entry) => entry.message));
    expect(third.newlyDropped.some((message) => covered.has(message))).toBe(false);
    expect(third.coverage.throughSeq).toBeGreaterThan(stored.throughSeq);
  });

  it('keeps recalled notes (system messages after the first) through every cut', () => {
    const note: Message = { type: 'system', text: 'Recalled note: the user wants British spelling.' };
    const entries = transcript(40, [note]);
    const plan = planContext({ entries, counter, contextWindow: 3_000, reservedOutputTokens: 500 });
    if (plan.kind !== 'summarise') throw new Error('expected a cut');
    expect(plan.complete('summary').messages).toContain(note);
  });

  it('asks the summariser about turns a placeholder cut left out, since nothing summarised them', () => {
    const options = { counter, contextWindow: 3_000, reservedOutputTokens: 500, summaryMaxTokens: 200 };
    const first = planContext({ ...options, entries: transcript(40) });
    if (first.kind !== 'summarise') throw new Error('expected a cut');
    const placeholder: StoredSummary = { ...first.coverage, text: '' };
    const longer = transcript(60);
    const reused = planContext({ ...options, entries: transcript(41), previous: placeholder });
    expect(reused.kind).toBe('reused');
    if (reused.kind === 'reused') expect(reused.messages).toContainEqual({ type: 'user', text: placeholderText(placeholder.droppedCount) });
    const next = planContext({ ...options, entries: longer, previous: placeholder });
    if (next.kind !== 'summarise') throw new Error('expected a new cut');
    const placeholderCovered = longer.filter((entry) => entry.seq >= placeholder.fromSeq && entry.seq <= placeholder.throughSeq && !placeholder.keptSeqs.includes(entry.seq)).map((entry) => entry.message);
    expect(placeholderCovered.every((message) => next.newlyDropped.includes(message))).toBe(true);
  });
});
