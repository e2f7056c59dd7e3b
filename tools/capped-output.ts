// Caps command output for the model: keeps the head and the tail, says how much was left out, and
// reads only those two ends of a big output file instead of all of it.
import { open } from 'node:fs/promises';

/** Characters of command output the model sees per call. */
export const DEFAULT_OUTPUT_CAP_CHARACTERS = 30_000;
/** UTF-8 needs at most this many bytes per character. */
const MAX_BYTES_PER_CHARACTER = 4;

export type CappedText = { text: string; truncated: boolean; omitted?: string };

/** Keeps the first and last `cap / 2` characters of `text`, noting how many were left out between. */
export function capText(text: string, cap: number): CappedText {
  if (text.length <= cap) return { text, truncated: false };
  const headLength = Math.ceil(cap / 2);
  const tailLength = Math.floor(cap / 2);
  const omitted = `${text.length - headLength - tailLength} characters`;
  return { text: joinAroundGap(text.slice(0, headLength), text.slice(text.length - tailLength), omitted), truncated: true, omitted };
}

/** Reads bytes [from, to) of `file` as UTF-8, capped like `capText`. */
export async function readCappedRange(file: string, from: number, to: number, cap: number): Promise<CappedText> {
  const length = Math.max(0, to - from);
  if (length === 0) return { text: '', truncated: false };
  const handle = await open(file, 'r');
  try {
    const read = async (position: number, size: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buffer, 0, size, position);
      return buffer.subarray(0, bytesRead);
    };
    if (length <= cap * MAX_BYTES_PER_CHARACTER) return capText((await read(from, length)).toString('utf8'), cap);
    // Too big to read whole: each end holds at least half the cap in characters.
    const endBytes = Math.ceil(cap / 2) * MAX_BYTES_PER_CHARACTER;
    const headBuffer = await read(from, endBytes);
    const tailBuffer = await read(to - endBytes, endBytes);
    const head = headBuffer.toString('utf8').slice(0, Math.ceil(cap / 2));
    const tail = tailBuffer.toString('utf8').slice(-Math.floor(cap / 2));
    const omittedBytes = length - Buffer.byteLength(head) - Buffer.byteLength(tail);
    const omitted = `about ${omittedBytes} bytes`;
    return { text: joinAroundGap(head, tail, omitted), truncated: true, omitted };
  } finally {
    await handle.close();
  }
}

function joinAroundGap(head: string, tail: string, omitted: string): string {
  return `${head}\n\n[... ${omitted} of output omitted ...]\n\n${tail}`;
}

/** Length of `buffer` without a UTF-8 sequence cut off at its end (the rest may still be being written). */
export function completeUtf8Length(buffer: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, buffer.length); back += 1) {
    const byte = buffer[buffer.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? buffer.length - back : buffer.length;
  }
  return buffer.length;
}
