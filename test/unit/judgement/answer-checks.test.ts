// The pure parts of reflection and cross-validation: answer normalisation, reading the models' JSON
// answers safely, and the deterministic same-request contradiction.
import {
  assistantStatements,
  decideReflection,
  normaliseAnswer,
  normalisedAgreement,
  readJudgeVerdict,
  sameRequestContradiction,
} from '../../../core/judgement';

describe('answer normalisation', () => {
  it.each([
    ['42', 'The answer is 42.'],
    ['1000', '1,000'],
    ['3.5', '3.50'],
    ['+7', '7'],
    ['Paris', '  PARIS!  '],
    ['New   York', 'new york'],
    ['it\'s 12', '12'],
  ])('treats %j and %j as the same answer', (first, second) => {
    expect(normaliseAnswer(first)).toBe(normaliseAnswer(second));
  });

  it.each([
    ['42', '43'],
    ['3.5', '35'],
    ['1,000', '1.000'],
    ['yes', 'no'],
  ])('keeps %j and %j apart', (first, second) => {
    expect(normaliseAnswer(first)).not.toBe(normaliseAnswer(second));
  });

  it('agrees only with two or more answers that normalise alike', () => {
    expect(normalisedAgreement(['The answer is 1,000.', '1000', '1000.0'])).toBe(true);
    expect(normalisedAgreement(['1000', '1001'])).toBe(false);
    expect(normalisedAgreement(['1000'])).toBe(false);
    expect(normalisedAgreement(['...', '!!!'])).toBe(false);
  });
});

describe('reading a reflection', () => {
  it('reads confidence, reasoning and contradiction from a fenced answer and compares with the threshold', () => {
    const reflection = decideReflection({
      answerText: '```json\n{"reasoning": "measured it", "confidence": 55, "contradiction": "none"}\n```', threshold: 60, deterministicContradiction: null,
    });
    expect(reflection).toEqual({ confidence: 55, reasoning: 'measured it', contradiction: null, belowThreshold: true });
  });

  it('accepts a quoted percentage and clamps out-of-range confidence', () => {
    expect(decideReflection({ answerText: '{"reasoning": "", "confidence": "80%"}', threshold: 60, deterministicContradiction: null }).confidence).toBe(80);
    expect(decideReflection({ answerText: '{"reasoning": "", "confidence": 150}', threshold: 60, deterministicContradiction: null }).confidence).toBe(100);
  });

  it('reports the deterministic contradiction when the model saw none', () => {
    expect(decideReflection({ answerText: '{"reasoning": "ok", "confidence": 90, "contradiction": null}', threshold: 60, deterministicContradiction: 'earlier: Friday' }).contradiction).toBe('earlier: Friday');
  });

  it.each([['no JSON here'], ['{"confidence": "high"}'], ['{"reasoning": "x"}']])('fails safe on %j: confidence 0 and below the threshold', (answerText) => {
    expect(decideReflection({ answerText, threshold: 10, deterministicContradiction: null })).toMatchObject({ confidence: 0, belowThreshold: true, error: expect.any(String) });
  });
});

describe('the same-request contradiction', () => {
  const entries = [
    { step: 0, message: { type: 'user' as const, text: 'When is the deadline?' } },
    { step: 0, message: { type: 'assistant' as const, parts: [{ type: 'text' as const, text: 'The deadline is Friday.' }] } },
    { step: 1, message: { type: 'user' as const, text: 'Thanks. And the budget?' } },
    { step: 1, message: { type: 'assistant' as const, parts: [{ type: 'text' as const, text: 'The budget is 5,000.' }] } },
  ];

  it('reports an earlier final answer to the same request that says something else', () => {
    expect(sameRequestContradiction(assistantStatements(entries), { request: 'when is the deadline', answer: 'The deadline is Monday.' })).toMatch(/The deadline is Friday/);
  });

  it('finds none when the answer is the same once normalised, or the request is a different one', () => {
    const statements = assistantStatements(entries);
    expect(sameRequestContradiction(statements, { request: 'When is the deadline?', answer: 'the deadline is friday' })).toBeNull();
    expect(sameRequestContradiction(statements, { request: 'Who owns it?', answer: 'Alice.' })).toBeNull();
  });
});

describe('reading the judge', () => {
  it('reads a verdict, and treats an unreadable one as disagreement', () => {
    expect(readJudgeVerdict('```json\n{"agree": true, "reason": "same"}\n```')).toEqual({ agree: true, reason: 'same' });
    expect(readJudgeVerdict('They mostly agree.')).toMatchObject({ agree: false, error: expect.any(String) });
  });
});
