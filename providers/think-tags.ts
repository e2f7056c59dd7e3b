// MiniMax-style reasoning inside the content: `<think>…</think>` before the answer. Splits a whole
// content string, and splits streamed content pieces into reasoning and text deltas as they come.

const OPEN_TAG = '<think>';
const CLOSE_TAG = '</think>';

/** Splits a leading `<think>…</think>` block off `content`; an unclosed block is all reasoning. */
export function splitThinkTags(content: string): { reasoning?: string; text: string } {
  const trimmed = content.trimStart();
  if (!trimmed.startsWith(OPEN_TAG)) return { text: content };
  const end = trimmed.indexOf(CLOSE_TAG);
  if (end < 0) return { reasoning: trimmed.slice(OPEN_TAG.length).trim(), text: '' };
  return {
    reasoning: trimmed.slice(OPEN_TAG.length, end).trim(),
    text: trimmed.slice(end + CLOSE_TAG.length).trimStart(),
  };
}

type Piece = { kind: 'text' | 'reasoning'; text: string };

/** Routes streamed content pieces to text or reasoning, holding back only what could be a tag. */
export class ThinkTagStreamSplitter {
  private state: 'undecided' | 'thinking' | 'after-thinking' | 'text' = 'undecided';
  private pending = '';

  push(piece: string): Piece[] {
    this.pending += piece;
    const out: Piece[] = [];
    if (this.state === 'undecided') {
      const trimmed = this.pending.trimStart();
      if (trimmed.length < OPEN_TAG.length && OPEN_TAG.startsWith(trimmed)) return out;
      if (trimmed.startsWith(OPEN_TAG)) {
        this.state = 'thinking';
        this.pending = trimmed.slice(OPEN_TAG.length);
      } else {
        this.state = 'text';
      }
    }
    if (this.state === 'thinking') {
      const end = this.pending.indexOf(CLOSE_TAG);
      if (end < 0) {
        const keep = partialTagLength(this.pending);
        emit(out, 'reasoning', this.pending.slice(0, this.pending.length - keep));
        this.pending = this.pending.slice(this.pending.length - keep);
        return out;
      }
      emit(out, 'reasoning', this.pending.slice(0, end));
      this.pending = this.pending.slice(end + CLOSE_TAG.length);
      this.state = 'after-thinking';
    }
    if (this.state === 'after-thinking') {
      this.pending = this.pending.trimStart();
      if (!this.pending) return out;
      this.state = 'text';
    }
    emit(out, 'text', this.pending);
    this.pending = '';
    return out;
  }

  /** What is still held back when the stream ends. */
  flush(): Piece[] {
    const out: Piece[] = [];
    emit(out, this.state === 'thinking' ? 'reasoning' : 'text', this.state === 'after-thinking' ? '' : this.pending);
    this.pending = '';
    return out;
  }
}

function emit(out: Piece[], kind: Piece['kind'], text: string): void {
  if (text) out.push({ kind, text });
}

/** Length of the longest suffix of `text` that is a prefix of the closing tag. */
function partialTagLength(text: string): number {
  for (let length = Math.min(CLOSE_TAG.length - 1, text.length); length > 0; length -= 1) {
    if (CLOSE_TAG.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}
