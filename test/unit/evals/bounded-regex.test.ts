// A user's pattern that backtracks catastrophically fails its scorer after the time limit instead of
// blocking the worker; ordinary patterns match as RegExp does.
import { boundedRegexTest, RegexTimedOut } from '../../../activities/checks/bounded-regex';
import { scoreDeterministic, scorersSchema, type DeterministicScorer } from '../../../core/evals';

const scorer = (input: unknown) => scorersSchema.parse([input])[0] as DeterministicScorer;

describe('regular expressions with a time limit', () => {
  it('matches like RegExp, flags included', () => {
    const test = boundedRegexTest();
    expect(test('^total: \\d+$', 'm', 'a\ntotal: 42\n')).toBe(true);
    expect(test('^TOTAL', 'i', 'total')).toBe(true);
    expect(test('^total$', undefined, 'a\ntotal')).toBe(false);
  });

  it('stops a catastrophic pattern at the limit', () => {
    const started = performance.now();
    expect(() => boundedRegexTest(200)('^(a+)+$', undefined, `${'a'.repeat(40)}b`)).toThrow(RegexTimedOut);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('fails the scorer with the reason when its pattern runs out of time', () => {
    const verdict = scoreDeterministic(scorer({ kind: 'answer_regex', name: 'slow', pattern: '^(a+)+$' }), { answer: `${'a'.repeat(40)}b`, toolsUsed: [], files: new Map() }, boundedRegexTest(200));
    expect(verdict).toEqual({ scorer: 'slow', kind: 'answer_regex', score: 0, passed: false, reason: 'could not be scored: the pattern took longer than 200 ms to match' });
  });
});
