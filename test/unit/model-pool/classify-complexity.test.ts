// The complexity heuristic on typical requests, and `auto` resolving through it.
import { classifyComplexity, resolveComplexity } from '../../../core/model-pool';

const codeBlock = '```ts\nexport function add(a: number, b: number) { return a + b; }\n```';

describe('classifying a request by complexity', () => {
  it.each([
    ['What is the capital of France?'],
    ['hi'],
    ['Summarise this paragraph in one sentence: the meeting moved to Thursday.'],
  ])('calls a short plain request simple: %s', (text) => {
    expect(classifyComplexity(text, 0)).toMatchObject({ complexity: 'simple' });
  });

  it('calls a request with one code block and a debugging verb medium', () => {
    const verdict = classifyComplexity(`Can you debug this?\n${codeBlock}`, 2);
    expect(verdict.complexity).toBe('medium');
    expect(verdict.reason).toMatch(/1 code block/);
    expect(verdict.reason).toMatch(/debug/);
  });

  it('calls a multi-step migration with code complex and names the signals', () => {
    const text = `Refactor the storage layer, then migrate the schema to the new design, and finally update the tests.\n${codeBlock}`;
    const verdict = classifyComplexity(text, 4);
    expect(verdict.complexity).toBe('complex');
    expect(verdict.reason).toMatch(/refactor/);
    expect(verdict.reason).toMatch(/migrate/);
    expect(verdict.reason).toMatch(/sequencing/);
  });

  it('counts a long request with many questions as more complex than a short one', () => {
    const long = `${'Here is the context of the incident. '.repeat(50)} Why did it fail? What changed? Who was paged? When did it recover?`;
    expect(classifyComplexity(long, 0).complexity).toBe('medium');
    expect(classifyComplexity(`${long}\nPlease investigate the root cause.`, 0).complexity).toBe('complex');
  });

  it('counts a large tool set as a sign of agentic work', () => {
    expect(classifyComplexity('Tidy up the repository.', 0).complexity).toBe('simple');
    expect(classifyComplexity('Tidy up the repository.', 12)).toMatchObject({ complexity: 'medium', reason: expect.stringMatching(/12 tools/) });
  });

  it('gives the same answer for the same input every time', () => {
    const text = `Design a cache, then implement it.\n${codeBlock}`;
    expect(classifyComplexity(text, 3)).toEqual(classifyComplexity(text, 3));
  });

  it('resolves auto through the classifier and keeps a named level as requested', () => {
    expect(resolveComplexity('auto', 'hi', 0).complexity).toBe('simple');
    expect(resolveComplexity('complex', 'hi', 0)).toEqual({ complexity: 'complex', reason: 'complex (requested by the run)' });
  });
});
