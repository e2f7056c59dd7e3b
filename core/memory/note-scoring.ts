// Ranks recalled notes: weighted similarity, importance and recency, where recency halves every
// half-life since the version was written. Pure: the clock is an argument.
import type { MemorySettings } from './memory-settings';
import type { Note } from './note';

const DAY_MS = 24 * 60 * 60 * 1000;

export type ScoredNote = { note: Note; similarity: number; recency: number; score: number };

/** 1 for a note written at `now`, 0.5 one half-life later; a note from the future counts as new. */
export function recencyOf(writtenAt: Date, now: Date, halfLifeDays: number): number {
  const ageDays = Math.max(0, now.getTime() - writtenAt.getTime()) / DAY_MS;
  if (halfLifeDays <= 0) return ageDays === 0 ? 1 : 0;
  return Math.pow(0.5, ageDays / halfLifeDays);
}

export function scoreNote(note: Note, similarity: number, now: Date, settings: Pick<MemorySettings, 'halfLifeDays' | 'weights'>): ScoredNote {
  const recency = recencyOf(note.createdAt, now, settings.halfLifeDays);
  const { weights } = settings;
  const score = weights.similarity * similarity + weights.importance * note.importance + weights.recency * recency;
  return { note, similarity, recency, score };
}

/**
 * Best first, at most `limit`. Equal scores fall to the more important note, then the newer one,
 * then the id, so a ranking is stable across stores.
 */
export function rankNotes(
  candidates: ReadonlyArray<{ note: Note; similarity: number }>,
  now: Date,
  settings: Pick<MemorySettings, 'halfLifeDays' | 'weights'>,
  limit: number,
): ScoredNote[] {
  return candidates
    .map((candidate) => scoreNote(candidate.note, candidate.similarity, now, settings))
    .sort((left, right) =>
      right.score - left.score
      || right.note.importance - left.note.importance
      || right.note.createdAt.getTime() - left.note.createdAt.getTime()
      || (left.note.id < right.note.id ? -1 : left.note.id > right.note.id ? 1 : 0))
    .slice(0, limit);
}
