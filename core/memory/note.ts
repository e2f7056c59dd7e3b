// A semantic-memory note as every store returns it: one version of a fact, linked to the version it
// replaced and the one that replaced it, so history is kept and nothing is silently overwritten.

export type Note = {
  id: string;
  tenantId: string;
  /** The user the note belongs to; null for a tenant-wide note. */
  userId: string | null;
  /** The run that recorded it, when one did. */
  runId: string | null;
  category: string;
  content: string;
  importance: number;
  /** 1 for a new fact; the superseded version's number plus one for a merge. */
  version: number;
  supersedesId: string | null;
  supersededBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  /** Set by an explicit delete; deleted notes are never recalled. */
  deletedAt: Date | null;
  /** Which embedder wrote the vector: vectors of different embedders are not comparable. */
  embeddingModel: string;
};

/** A note with its vector, as written to a store. */
export type EmbeddedNote = Note & { embedding: number[] };

/** The latest version, not deleted and not expired at `now`. */
export function isLive(note: Note, now: Date): boolean {
  return note.supersededBy === null && note.deletedAt === null && (note.expiresAt === null || note.expiresAt.getTime() > now.getTime());
}
