// Ranking recalled notes: 0.7 similarity + 0.2 importance + 0.1 recency, recency halving every
// half-life, with an injected clock.
import { DEFAULT_MEMORY_SETTINGS, rankNotes, recencyOf, scoreNote, type Note } from '../../../core/memory';

const DAY_MS = 24 * 60 * 60 * 1000;
const start = new Date('2026-01-01T00:00:00Z');

function note(id: string, overrides: Partial<Note> = {}): Note {
  return {
    id, tenantId: 't', userId: 'u', runId: null, category: 'general', content: id, importance: 0.5, version: 1,
    supersedesId: null, supersededBy: null, createdAt: start, updatedAt: start, expiresAt: null, deletedAt: null, embeddingModel: 'm',
    ...overrides,
  };
}

describe('note scoring', () => {
  it('halves recency every half-life and treats a note from the future as new', () => {
    expect(recencyOf(start, start, 30)).toBe(1);
    expect(recencyOf(start, new Date(start.getTime() + 30 * DAY_MS), 30)).toBeCloseTo(0.5, 10);
    expect(recencyOf(start, new Date(start.getTime() + 60 * DAY_MS), 30)).toBeCloseTo(0.25, 10);
    expect(recencyOf(new Date(start.getTime() + DAY_MS), start, 30)).toBe(1);
  });

  it('weighs similarity, importance and recency 0.7, 0.2 and 0.1 by default', () => {
    const scored = scoreNote(note('a', { importance: 0.5 }), 0.8, new Date(start.getTime() + 30 * DAY_MS), DEFAULT_MEMORY_SETTINGS);
    expect(scored.score).toBeCloseTo(0.7 * 0.8 + 0.2 * 0.5 + 0.1 * 0.5, 10);
  });

  it('lets decay change the ranking as time passes', () => {
    // An older, slightly more similar note against a fresh one.
    const old = note('old', { createdAt: start });
    const fresh = note('fresh', { createdAt: new Date(start.getTime() + 90 * DAY_MS) });
    const candidates = [{ note: old, similarity: 0.82 }, { note: fresh, similarity: 0.8 }];
    const settings = { ...DEFAULT_MEMORY_SETTINGS, halfLifeDays: 30 };

    const atStart = new Date(start.getTime() + 90 * DAY_MS);
    // 90 days in, the old note's recency is 1/8: 0.574 + 0.1 + 0.0125 < 0.56 + 0.1 + 0.1.
    expect(rankNotes(candidates, atStart, settings, 2).map((hit) => hit.note.id)).toEqual(['fresh', 'old']);
    // With a long half-life decay barely matters and similarity wins.
    expect(rankNotes(candidates, atStart, { ...settings, halfLifeDays: 100_000 }, 2).map((hit) => hit.note.id)).toEqual(['old', 'fresh']);
    // Read at the time the old note was written, before the fresh one existed, similarity wins too.
    const early = [{ note: old, similarity: 0.82 }, { note: note('fresh', { createdAt: start }), similarity: 0.8 }];
    expect(rankNotes(early, start, settings, 2).map((hit) => hit.note.id)).toEqual(['old', 'fresh']);
  });

  it('ranks the more important note first when similarity and recency are equal', () => {
    const candidates = [
      { note: note('trivia', { importance: 0.3 }), similarity: 0.7 },
      { note: note('preference', { importance: 0.9 }), similarity: 0.7 },
      { note: note('project', { importance: 0.8 }), similarity: 0.7 },
    ];
    expect(rankNotes(candidates, start, DEFAULT_MEMORY_SETTINGS, 3).map((hit) => hit.note.id)).toEqual(['preference', 'project', 'trivia']);
  });

  it('breaks an exact score tie by importance, then by the newer note', () => {
    // importance 0.6 at similarity 0.5 scores the same as importance 0.25 at similarity 0.6: 0.47.
    const settings = { ...DEFAULT_MEMORY_SETTINGS, weights: { similarity: 0.7, importance: 0.2, recency: 0 } };
    const candidates = [
      { note: note('closer', { importance: 0.25 }), similarity: 0.6 },
      { note: note('weightier', { importance: 0.6 }), similarity: 0.5 },
    ];
    const ranked = rankNotes(candidates, start, settings, 2);
    expect(ranked[0]!.score).toBeCloseTo(ranked[1]!.score, 10);
    expect(ranked.map((hit) => hit.note.id)).toEqual(['weightier', 'closer']);
    const twins = [
      { note: note('older', { createdAt: start }), similarity: 0.5 },
      { note: note('newer', { createdAt: new Date(start.getTime() + 1000) }), similarity: 0.5 },
    ];
    expect(rankNotes(twins, new Date(start.getTime() + 1000), { ...settings }, 2).map((hit) => hit.note.id)).toEqual(['newer', 'older']);
  });

  it('returns at most the limit', () => {
    const candidates = Array.from({ length: 30 }, (_, index) => ({ note: note(`n${index}`), similarity: index / 30 }));
    const ranked = rankNotes(candidates, start, DEFAULT_MEMORY_SETTINGS, 5);
    expect(ranked.map((hit) => hit.note.id)).toEqual(['n29', 'n28', 'n27', 'n26', 'n25']);
  });
});
