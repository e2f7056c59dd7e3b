// The write policy: a new fact either starts a note or supersedes the most similar live note of
// the same tenant and user. Superseding keeps both versions, linked; nothing is deleted.
import { clampUnit, initialImportance } from './note-categories';
import type { Note } from './note';

export type NoteDraft = {
  content: string;
  category: string;
  /** Overrides the category's initial importance. */
  importance?: number;
  expiresAt?: Date | null;
};

export type WriteDecision =
  | { action: 'insert'; version: 1; importance: number; supersedes: null; expiresAt: Date | null }
  | { action: 'supersede'; version: number; importance: number; supersedes: Note; similarity: number | null; expiresAt: Date | null };

/**
 * `explicit` is a note the caller names as replaced (a contradiction it knows about); otherwise the
 * most similar live candidate at or above `mergeSimilarity` is superseded. A merge keeps the higher
 * importance of the two, so repeating a fact never makes it less important; the expiry is the new
 * statement's (a fact stated again without a ttl becomes permanent).
 */
export function decideWrite(
  draft: NoteDraft,
  similar: ReadonlyArray<{ note: Note; similarity: number }>,
  mergeSimilarity: number,
  explicit?: Note,
): WriteDecision {
  const ownImportance = initialImportance(draft.category, draft.importance);
  const expiresAt = draft.expiresAt ?? null;
  if (explicit) {
    // A named replacement takes the caller's importance as is: the old fact was wrong, not reinforced.
    return { action: 'supersede', version: explicit.version + 1, importance: ownImportance, supersedes: explicit, similarity: null, expiresAt };
  }
  const best = [...similar].sort((left, right) => right.similarity - left.similarity)[0];
  if (!best || best.similarity < mergeSimilarity) return { action: 'insert', version: 1, importance: ownImportance, supersedes: null, expiresAt };
  return {
    action: 'supersede',
    version: best.note.version + 1,
    importance: clampUnit(Math.max(ownImportance, best.note.importance)),
    supersedes: best.note,
    similarity: best.similarity,
    expiresAt,
  };
}
