// keel chat's input: lines queue as they arrive, a given-up wait loses no line, and a message may
// span lines (a trailing \ or a """ block).
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { LineQueue } from '../../../cli/line-queue';

function queueOf(): { queue: LineQueue; input: PassThrough } {
  const input = new PassThrough();
  return { queue: new LineQueue(createInterface({ input, terminal: false })), input };
}

describe('the chat line queue', () => {
  it('joins a trailing-backslash continuation and a """ block into one message each', async () => {
    const { queue, input } = queueOf();
    input.write('first \\\nsecond\n"""\na\n\nb\n"""\nlast\n');
    const continued: number[] = [];
    expect(await queue.message(() => continued.push(1))).toBe('first \nsecond');
    expect(await queue.message(() => continued.push(2))).toBe('a\n\nb');
    expect(await queue.message(() => undefined)).toBe('last');
    expect(continued).toEqual([1, 2, 2, 2, 2]);
  });

  it('gives up a wait without losing the line that comes after it', async () => {
    const { queue, input } = queueOf();
    const controller = new AbortController();
    const waiting = queue.next(controller.signal);
    controller.abort();
    expect(await waiting).toBeUndefined();
    input.write('kept\n');
    expect(await queue.next()).toBe('kept');
    input.end();
    expect(await queue.next()).toBeUndefined();
  });
});
