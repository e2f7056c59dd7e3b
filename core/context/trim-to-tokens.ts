// Cuts a text to at most a number of tokens as a counter counts them (summaries the small model wrote
// longer than asked, head-of-output fallbacks). Binary search on the prefix length: O(log n) counts.
import type { TokenCounter } from './token-counter';

export const TRIM_MARK = '…';

/** `text` when it fits, else its longest prefix that fits with `TRIM_MARK` appended ('' when nothing does). */
export function trimToTokens(counter: Pick<TokenCounter, 'countText'>, text: string, limitTokens: number): string {
  if (limitTokens <= 0) return '';
  if (counter.countText(text) <= limitTokens) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (counter.countText(text.slice(0, middle) + TRIM_MARK) <= limitTokens) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? '' : text.slice(0, low) + TRIM_MARK;
}
