// MiniMax-style `<think>` content split into reasoning and text, whole and piece by piece.
import { splitThinkTags, ThinkTagStreamSplitter } from '../../../providers/think-tags';

function streamed(pieces: string[]): { reasoning: string; text: string } {
  const splitter = new ThinkTagStreamSplitter();
  const out = [...pieces.flatMap((piece) => splitter.push(piece)), ...splitter.flush()];
  return {
    reasoning: out.filter((piece) => piece.kind === 'reasoning').map((piece) => piece.text).join(''),
    text: out.filter((piece) => piece.kind === 'text').map((piece) => piece.text).join(''),
  };
}

describe('think tags', () => {
  it('splits a leading think block off the answer', () => {
    expect(splitThinkTags('<think>\nHmm.\n</think>\n\nAnswer.')).toEqual({ reasoning: 'Hmm.', text: 'Answer.' });
  });

  it('leaves content without a leading think block alone', () => {
    expect(splitThinkTags('Answer with <think> later.')).toEqual({ text: 'Answer with <think> later.' });
  });

  it('treats an unclosed think block as reasoning only', () => {
    expect(splitThinkTags('<think>cut off')).toEqual({ reasoning: 'cut off', text: '' });
  });

  it('routes streamed pieces even when the tags are split across them', () => {
    expect(streamed(['<thi', 'nk>Let me ', 'see.</th', 'ink>', '\n\nThe ', 'answer.'])).toEqual({ reasoning: 'Let me see.', text: 'The answer.' });
  });

  it('streams plain content as text as soon as it cannot be a tag', () => {
    const splitter = new ThinkTagStreamSplitter();
    expect(splitter.push('<b>bold')).toEqual([{ kind: 'text', text: '<b>bold' }]);
    expect(splitter.push(' more')).toEqual([{ kind: 'text', text: ' more' }]);
  });

  it('holds back only a possible closing tag while thinking', () => {
    const splitter = new ThinkTagStreamSplitter();
    expect(splitter.push('<think>abc</')).toEqual([{ kind: 'reasoning', text: 'abc' }]);
    expect(splitter.push('x')).toEqual([{ kind: 'reasoning', text: '</x' }]);
  });
});
