// Streams a window of a text file as `cat -n` style numbered lines, within a line limit and a
// budget (each shown line costs what `lineCost` says, e.g. its tokens), without loading the whole file.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Bytes scanned after the window to count the file's lines; bigger files report "more lines" instead. */
export const LINE_COUNT_SCAN_BYTES = 32 * 1024 * 1024;

export type NumberedLinesOptions = {
  /** First line to show, 1-based. */
  offset: number;
  /** Most lines to show. */
  limit: number;
  /** Most cost of formatted output, in the unit of `lineCost`. */
  budget: number;
  /** Cost of one formatted line with its newline; its length (characters) by default. */
  lineCost?: (formattedLine: string) => number;
  /** Longer lines are cut to this many characters. */
  maxLineCharacters: number;
};

export type NumberedLines = {
  text: string;
  /** Last line shown (offset - 1 when nothing was shown). */
  lastLine: number;
  stoppedBy: 'end' | 'limit' | 'budget';
  linesCut: number;
  /** Lines in the whole file, when it was small enough to count. */
  totalLines?: number;
  /** Whether lines follow the last one shown. */
  moreFollow: boolean;
};

export function formatNumberedLine(lineNumber: number, line: string): string {
  return `${String(lineNumber).padStart(6, ' ')}\t${line}`;
}

export async function readNumberedLines(file: string, options: NumberedLinesOptions): Promise<NumberedLines> {
  const decoder = new StringDecoder('utf8');
  const shown: string[] = [];
  const lineCost = options.lineCost ?? ((formattedLine: string) => formattedLine.length);
  let spent = 0;
  let linesCut = 0;
  let completedLines = 0;
  let current = '';
  let currentLength = 0;
  let stoppedBy: 'limit' | 'budget' | undefined;
  let bytesAfterStop = 0;
  let countingAbandoned = false;
  let partialLineTrails = false;

  const appendToLine = (text: string): void => {
    const room = options.maxLineCharacters - current.length;
    if (room > 0) current += text.slice(0, room);
    currentLength += text.length;
  };
  const finishLine = (): void => {
    completedLines += 1;
    const line = current.endsWith('\r') && currentLength <= options.maxLineCharacters ? current.slice(0, -1) : current;
    const cut = currentLength > options.maxLineCharacters;
    const length = currentLength;
    current = '';
    currentLength = 0;
    if (completedLines < options.offset) return;
    const formatted = formatNumberedLine(completedLines, cut ? `${line}… [line cut, ${length} characters]` : line);
    const cost = lineCost(`${formatted}\n`);
    if (shown.length > 0 && spent + cost > options.budget) {
      stoppedBy = 'budget';
      return;
    }
    shown.push(formatted);
    spent += cost;
    if (cut) linesCut += 1;
    if (shown.length >= options.limit) stoppedBy = 'limit';
  };
  const countRest = (text: string): void => {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) completedLines += 1;
    if (text.length > 0) partialLineTrails = !text.endsWith('\n');
  };

  for await (const chunk of createReadStream(file)) {
    const text = decoder.write(chunk as Buffer);
    if (stoppedBy) {
      bytesAfterStop += (chunk as Buffer).length;
      if (bytesAfterStop > LINE_COUNT_SCAN_BYTES) {
        countingAbandoned = true;
        break;
      }
      countRest(text);
      continue;
    }
    let start = 0;
    for (let index = text.indexOf('\n'); index !== -1 && !stoppedBy; index = text.indexOf('\n', start)) {
      appendToLine(text.slice(start, index));
      start = index + 1;
      finishLine();
    }
    if (stoppedBy) countRest(text.slice(start));
    else appendToLine(text.slice(start));
  }
  if (!countingAbandoned) {
    const tail = decoder.end();
    if (stoppedBy) countRest(tail);
    else {
      appendToLine(tail);
      if (currentLength > 0) finishLine();
    }
  }
  const lastLine = options.offset - 1 + shown.length;
  const totalLines = countingAbandoned ? undefined : completedLines + (stoppedBy && partialLineTrails ? 1 : 0);
  const moreFollow = totalLines === undefined ? true : totalLines > lastLine;
  return { text: shown.join('\n'), lastLine, stoppedBy: stoppedBy ?? 'end', linesCut, totalLines, moreFollow };
}
