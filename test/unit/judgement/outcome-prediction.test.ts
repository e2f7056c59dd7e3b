// Reading a predicting model's answer: fences are tolerated, garbage becomes `review`, and the
// deterministic cross-check overrides a model that says the call matches.
import { decidePrediction, mismatchMessage, parseModelJson, predictionAnswerSchema, userRequestOf } from '../../../core/judgement';

const request = { first: 'Move all .txt files in the workspace to backup/', latest: 'Move all .txt files in the workspace to backup/' };
const trigger = { confirm: false, destructive: ['deletes *.txt (rm)'] };

describe('model JSON answers', () => {
  it('parses an answer wrapped in a ```json fence with text around it', () => {
    const parsed = parseModelJson('Sure, here it is:\n```json\n{"prediction":"Lists files","effects":["read"],"matchesRequest":true,"reason":"ok"}\n```\nDone.', predictionAnswerSchema);
    expect(parsed).toEqual({ ok: true, value: { prediction: 'Lists files', effects: ['read'], matchesRequest: true, reason: 'ok' } });
  });

  it('parses a bare object surrounded by prose', () => {
    expect(parseModelJson('I think {"prediction":"x","effects":["remove"],"matchesRequest":false} is right', predictionAnswerSchema))
      .toEqual({ ok: true, value: { prediction: 'x', effects: ['delete'], matchesRequest: false, reason: '' } });
  });

  it.each([['not json at all'], ['{"prediction": 3}'], ['```json\n{broken\n```'], ['']])('rejects %j with a reason instead of throwing', (text) => {
    const parsed = parseModelJson(text, predictionAnswerSchema);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(/JSON/);
  });
});

describe('deciding on a predicted outcome', () => {
  it('is a mismatch when the prediction deletes what the request asks to move, even if the model says it matches', () => {
    const decided = decidePrediction({ model: 'small', trigger, request, answerText: '{"prediction":"Deletes every .txt file in the workspace","effects":["delete"],"matchesRequest":true,"reason":"cleans up"}' });
    expect(decided.verdict).toBe('mismatch');
    expect(decided.conflicts).toHaveLength(1);
    expect(mismatchMessage(decided, request)).toMatch(/^Not run: this would delete but the request asks to move.*Predicted: Deletes every \.txt file.*Use a command that does what was asked\.$/u);
  });

  it('is a mismatch when the model says the call does not match', () => {
    expect(decidePrediction({ model: 'small', trigger, request, answerText: '{"prediction":"Moves a.txt","effects":["move"],"matchesRequest":false,"reason":"only one file"}' }).verdict).toBe('mismatch');
  });

  it('is a match when the model agrees and nothing conflicts', () => {
    expect(decidePrediction({ model: 'small', trigger, request, answerText: '```json\n{"prediction":"Moves the .txt files into backup/","effects":["move","create"],"matchesRequest":true,"reason":"as asked"}\n```' }).verdict).toBe('match');
  });

  it('asks for review, without throwing, when the answer cannot be read', () => {
    const decided = decidePrediction({ model: 'small', trigger, request, answerText: 'I would rather not say.' });
    expect(decided).toMatchObject({ verdict: 'review', model: 'small', error: expect.stringMatching(/no JSON/) });
  });
});

describe('the user request a prediction is checked against', () => {
  it('is the first and the latest user message of the transcript', () => {
    expect(userRequestOf([
      { type: 'system', text: 'Be careful.' },
      { type: 'user', text: 'Move the logs to archive/' },
      { type: 'assistant', parts: [{ type: 'text', text: 'On it.' }] },
      { type: 'user', text: 'Only the .log files, please' },
    ])).toEqual({ first: 'Move the logs to archive/', latest: 'Only the .log files, please' });
  });

  it('is absent before any user message', () => {
    expect(userRequestOf([{ type: 'system', text: 'Be careful.' }])).toBeUndefined();
  });
});
