// The write policy: insert with the category's importance, or supersede the most similar live note
// at or above the threshold, keeping the higher importance; a named note is always superseded.
import { decideWrite, initialImportance, type Note } from '../../../core/memory';

const at = new Date('2026-01-01T00:00:00Z');
function note(id: string, overrides: Partial<Note> = {}): Note {
  return {
    id, tenantId: 't', userId: 'u', runId: null, category: 'general', content: id, importance: 0.5, version: 1,
    supersedesId: null, supersededBy: null, createdAt: at, updatedAt: at, expiresAt: null, deletedAt: null, embeddingModel: 'm', ...overrides,
  };
}

describe('the note write policy', () => {
  it('gives a new note its category\'s initial importance unless the call overrides it', () => {
    expect(initialImportance('user_preference')).toBe(0.9);
    expect(initialImportance('project_info')).toBe(0.8);
    expect(initialImportance('temp_info')).toBe(0.3);
    expect(initialImportance('lesson')).toBe(0.5);
    expect(initialImportance('temp_info', 0.7)).toBe(0.7);
    expect(initialImportance('temp_info', 3)).toBe(1);
  });

  it('inserts when nothing is similar enough', () => {
    const decision = decideWrite({ content: 'x', category: 'project_info' }, [{ note: note('a'), similarity: 0.89 }], 0.9);
    expect(decision).toEqual({ action: 'insert', version: 1, importance: 0.8, supersedes: null, expiresAt: null });
  });

  it('supersedes the most similar note at the threshold, keeping the higher importance', () => {
    const candidates = [
      { note: note('close', { importance: 0.9, version: 3 }), similarity: 0.9 },
      { note: note('closer', { importance: 0.9, version: 2 }), similarity: 0.95 },
    ];
    const decision = decideWrite({ content: 'x', category: 'temp_info' }, candidates, 0.9);
    expect(decision).toMatchObject({ action: 'supersede', version: 3, importance: 0.9, similarity: 0.95, supersedes: { id: 'closer' } });
    const raised = decideWrite({ content: 'x', category: 'general', importance: 1 }, candidates, 0.9);
    expect(raised.importance).toBe(1);
  });

  it('supersedes a named note whatever the similarity, with the new statement\'s importance', () => {
    const explicit = note('wrong', { importance: 0.9, version: 4 });
    const decision = decideWrite({ content: 'x', category: 'temp_info', expiresAt: at }, [], 0.9, explicit);
    expect(decision).toMatchObject({ action: 'supersede', version: 5, importance: 0.3, similarity: null, supersedes: { id: 'wrong' }, expiresAt: at });
  });
});
