// The pure parts of evals: scorer definitions as users give them, deterministic scoring on a run's
// evidence (each kind passing and failing), the rubric judge's grade read and held to its threshold,
// and live sampling by run id.
import { inLiveSample, rubricPrompt, rubricVerdict, scoreDeterministic, scorersSchema, type RunEvidence, type Scorer } from '../../../core/evals';

const EVIDENCE: RunEvidence = {
  answer: 'Done. ```json\n{"total": 42}\n```',
  toolsUsed: ['read_file', 'write_file'],
  files: new Map([['out/report.txt', 'line one\ntotal: 42\n'], ['missing.txt', undefined]]),
};

function parsed(input: unknown): Scorer {
  const result = scorersSchema.safeParse([input]);
  if (!result.success) throw new Error(result.error.issues.map((issue) => issue.message).join('; '));
  return result.data[0]!;
}

function scored(input: unknown) {
  const scorer = parsed(input);
  if (scorer.kind === 'rubric') throw new Error('not deterministic');
  return scoreDeterministic(scorer, EVIDENCE);
}

describe('deterministic scoring', () => {
  it.each([
    [{ kind: 'answer_regex', pattern: '"total":\\s*42' }, true],
    [{ kind: 'answer_regex', pattern: '^done', flags: 'i' }, true],
    [{ kind: 'answer_regex', pattern: '^done' }, false],
    [{ kind: 'answer_json_schema', schema: { type: 'object', required: ['total'] } }, true],
    [{ kind: 'answer_json_schema', schema: { type: 'array' } }, false],
    [{ kind: 'tool_used', tool: 'write_file' }, true],
    [{ kind: 'tool_used', tool: 'bash' }, false],
    [{ kind: 'tool_not_used', tool: 'bash' }, true],
    [{ kind: 'tool_not_used', tool: 'read_file' }, false],
    [{ kind: 'workspace_file', path: 'out/report.txt' }, true],
    [{ kind: 'workspace_file', path: 'missing.txt' }, false],
    [{ kind: 'workspace_file', path: 'out/report.txt', equals: 'line one\ntotal: 42\n' }, true],
    [{ kind: 'workspace_file', path: 'out/report.txt', equals: 'total: 42\n' }, false],
    [{ kind: 'workspace_file', path: 'out/report.txt', contains: 'total: 42' }, true],
    [{ kind: 'workspace_file', path: 'out/report.txt', contains: 'total: 43' }, false],
    [{ kind: 'workspace_file', path: 'out/report.txt', regex: '^total: \\d+$', flags: 'm' }, true],
    [{ kind: 'workspace_file', path: 'out/report.txt', regex: '^total: \\d+$' }, false],
  ])('%j passes: %s', (input, passes) => {
    const verdict = scored(input);
    expect({ score: verdict.score, passed: verdict.passed }).toEqual({ score: passes ? 1 : 0, passed: passes });
    expect(verdict.reason).not.toBe('');
  });

  it('says why a scorer failed', () => {
    expect(scored({ kind: 'tool_used', tool: 'bash' }).reason).toBe('the run never called bash (called: read_file, write_file)');
    expect(scored({ kind: 'answer_json_schema', schema: { type: 'object', required: ['count'] } }).reason).toBe("the answer does not match the schema: (root): must have required property 'count'");
    expect(scoreDeterministic(parsed({ kind: 'answer_json_schema', schema: { type: 'object' } }) as never, { ...EVIDENCE, answer: 'no json here' }).reason).toBe('the answer is not JSON: "no json here"');
    expect(scored({ kind: 'workspace_file', path: 'missing.txt', contains: 'x' }).reason).toBe('the workspace has no file missing.txt');
  });
});

describe('scorer definitions', () => {
  it('names a scorer by its kind unless it is named, and fills the rubric threshold', () => {
    const scorers = scorersSchema.parse([{ kind: 'tool_used', tool: 'bash' }, { kind: 'rubric', name: 'tone', model: 'local/judge', rubric: 'Polite.' }]);
    expect(scorers[1]).toEqual({ kind: 'rubric', name: 'tone', model: 'local/judge', rubric: 'Polite.', passThreshold: 0.7 });
  });

  it.each([
    [[], 'Too small'],
    [[{ kind: 'answer_regex', pattern: '[' }], 'valid regular expression'],
    [[{ kind: 'answer_regex', pattern: 'a', flags: 'g' }], 'flags i, m, s and u'],
    [[{ kind: 'tool_used', tool: 'a' }, { kind: 'tool_used', tool: 'b' }], 'distinct name'],
    [[{ kind: 'workspace_file', path: '../secrets' }], 'relative to the workspace'],
    [[{ kind: 'workspace_file', path: 'a.txt', equals: 'x', contains: 'x' }], 'at most one of'],
    [[{ kind: 'answer_json_schema', schema: { type: 'no-such-type' } }], 'not a valid JSON Schema'],
    [[{ kind: 'rubric', model: 'local/judge', rubric: '  ' }], 'Too small'],
    [[{ kind: 'tool_used', tool: 'bash', extra: true }], 'Unrecognized key'],
  ])('refuses %j', (input, message) => {
    const result = scorersSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});

describe('the rubric judge', () => {
  const rubric = { kind: 'rubric' as const, name: 'clear', model: 'local/judge', rubric: 'States the total.', passThreshold: 0.7 };

  it.each([
    ['{"score": 0.7, "reason": "ok"}', 0.7, true],
    ['{"score": 0.69, "reason": "almost"}', 0.69, false],
    ['Here: ```json\n{"score": "0.9", "reason": "quoted"}\n```', 0.9, true],
    ['{"score": 85, "reason": "in percent"}', 0.85, true],
  ])('reads %j as %s (passed: %s)', (text, score, passed) => {
    expect(rubricVerdict(rubric, text)).toMatchObject({ scorer: 'clear', kind: 'rubric', score, passed });
  });

  it('fails a grade it cannot read, saying so', () => {
    for (const text of ['B+', '{"score": -1}', '{"score": 250, "reason": "?"}']) {
      const verdict = rubricVerdict(rubric, text);
      expect({ score: verdict.score, passed: verdict.passed }).toEqual({ score: 0, passed: false });
      expect(verdict.reason).toContain("the judge's grade could not be read");
    }
  });

  it('shows the judge the request, the reference when there is one, the answer and the rubric', () => {
    const prompt = rubricPrompt({ request: 'Sum it.', answer: '42', rubric: 'States the total.', expected: { total: 42 } });
    expect(prompt).toBe("The user's request:\nSum it.\n\nWhat the answer was expected to be (a reference, JSON):\n{\"total\":42}\n\nThe answer to grade:\n42\n\nThe rubric:\nStates the total.\n\nAnswer with the JSON object only.");
    expect(rubricPrompt({ request: 'Sum it.', answer: '42', rubric: 'r' })).not.toContain('expected');
  });
});

describe('live sampling', () => {
  const ids = Array.from({ length: 2000 }, (_, index) => `run_${String(index).padStart(26, '0')}`);

  it('takes every run at rate 1, none at rate 0, and about the rate in between, the same way each time', () => {
    expect(ids.every((id) => inLiveSample(id, 1))).toBe(true);
    expect(ids.some((id) => inLiveSample(id, 0))).toBe(false);
    const sampled = ids.filter((id) => inLiveSample(id, 0.25));
    expect(sampled.length / ids.length).toBeGreaterThan(0.2);
    expect(sampled.length / ids.length).toBeLessThan(0.3);
    expect(ids.filter((id) => inLiveSample(id, 0.25))).toEqual(sampled);
  });
});
