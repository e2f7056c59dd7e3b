// Parsing the small model's extraction answer: JSON arrays, fenced or wrapped in prose, validated.
import { ExtractionParseError, parseExtractedNotes, recallMessageText, RECALL_HEADER, transcriptForExtraction, type Note } from '../../../core/memory';

describe('parsing extracted notes', () => {
  it('reads a plain JSON array and defaults the category', () => {
    expect(parseExtractedNotes('[{"content": "The user prefers pnpm.", "category": "user_preference", "importance": 0.9}, {"content": "CI runs on GitHub Actions."}]')).toEqual([
      { content: 'The user prefers pnpm.', category: 'user_preference', importance: 0.9 },
      { content: 'CI runs on GitHub Actions.', category: 'general' },
    ]);
  });

  it('tolerates a fenced answer with prose around it and drops repeated facts', () => {
    const answer = 'Here are the facts:\n```json\n[{"content": "Deploys go to Fly.io.", "category": "project_info"}, {"content": "deploys go to fly.io.", "category": "project_info"}]\n```\nDone.';
    expect(parseExtractedNotes(answer)).toEqual([{ content: 'Deploys go to Fly.io.', category: 'project_info' }]);
  });

  it('accepts an empty array', () => {
    expect(parseExtractedNotes('[]')).toEqual([]);
  });

  it('rejects answers without a valid array of notes', () => {
    expect(() => parseExtractedNotes('Nothing to remember.')).toThrow(ExtractionParseError);
    expect(() => parseExtractedNotes('[{"content": ""}]')).toThrow(/content/);
    expect(() => parseExtractedNotes('[{"content": "x", "importance": 7}]')).toThrow(/importance/);
    expect(() => parseExtractedNotes('[{"content": "x",]')).toThrow(ExtractionParseError);
  });

  it('keeps the end of a long transcript', () => {
    const text = transcriptForExtraction([{ role: 'user', text: 'a'.repeat(50) }, { role: 'assistant', text: 'final answer' }], 30);
    expect(text.startsWith('[earlier turns omitted]')).toBe(true);
    expect(text.endsWith('Assistant: final answer')).toBe(true);
  });
});

describe('the recall message', () => {
  const at = new Date('2026-03-04T00:00:00Z');
  const note = (content: string): Note => ({
    id: content, tenantId: 't', userId: 'u', runId: null, category: 'user_preference', content, importance: 0.9, version: 1,
    supersedesId: null, supersededBy: null, createdAt: at, updatedAt: at, expiresAt: null, deletedAt: null, embeddingModel: 'm',
  });

  it('lists notes best first within the token budget', () => {
    const notes = [note('The user prefers pnpm.'), note('x'.repeat(400)), note('Tabs, not spaces.')];
    const text = recallMessageText(notes, 40);
    expect(text).toBe(`${RECALL_HEADER}\n- (user_preference, 2026-03-04) The user prefers pnpm.`);
  });

  it('gives no message when nothing fits', () => {
    expect(recallMessageText([note('The user prefers pnpm.')], 5)).toBeUndefined();
    expect(recallMessageText([], 800)).toBeUndefined();
  });
});
