// Lines typed into `keel chat`, queued as they arrive (a terminal or piped stdin), taken one at a
// time; a wait can be given up (an abort signal) without losing the line that comes next. Multi-line
// input: a line ending in \ continues, and a line of """ opens a block that the next """ closes.
import type { Interface } from 'node:readline';

export const BLOCK_FENCE = '"""';

export class LineQueue {
  private readonly lines: string[] = [];
  private readonly waiters: Array<(line: string | undefined) => void> = [];
  private closed = false;

  constructor(readline: Interface) {
    readline.on('line', (line) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    readline.on('close', () => {
      this.closed = true;
      for (const waiter of this.waiters.splice(0)) waiter(undefined);
    });
  }

  /** The next line; undefined when input ended or `signal` gave up the wait. */
  next(signal?: AbortSignal): Promise<string | undefined> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter = (line: string | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(line);
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** One message, possibly over several lines; `continuation` is shown before each further line. */
  async message(continuation: () => void, signal?: AbortSignal): Promise<string | undefined> {
    const first = await this.next(signal);
    if (first === undefined) return undefined;
    if (first.trim() === BLOCK_FENCE) {
      const block: string[] = [];
      for (;;) {
        continuation();
        const line = await this.next(signal);
        if (line === undefined || line.trim() === BLOCK_FENCE) return block.join('\n');
        block.push(line);
      }
    }
    const parts = [first];
    while (parts.at(-1)?.endsWith('\\')) {
      parts[parts.length - 1] = parts.at(-1)!.slice(0, -1);
      continuation();
      const line = await this.next(signal);
      if (line === undefined) break;
      parts.push(line);
    }
    return parts.join('\n');
  }
}
