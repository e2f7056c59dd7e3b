// The note tools' NotesPort over semantic memory: scopes writes to the run, turns mistakes the
// model can fix (an unknown note to supersede) into tool errors, and formats recalled notes.
import { createHash } from 'node:crypto';
import type { Note } from '../../core/memory';
import { NoteNotFoundError, NoteSupersededError, type SemanticMemory } from '../../stores/notes';
import { ToolInputError } from '../../tools/tool-result';
import type { NoteInput, NoteRecord, NotesPort } from '../../tools/types';

const DAY_MS = 24 * 60 * 60 * 1000;

export class SemanticNotesPort implements NotesPort {
  constructor(private readonly memory: SemanticMemory) {}

  async record(scope: { tenantId: string; userId?: string; runId: string }, note: NoteInput): Promise<NoteRecord> {
    try {
      const outcome = await this.memory.record({
        tenantId: scope.tenantId,
        userId: scope.userId ?? null,
        runId: scope.runId,
        content: note.content,
        category: note.category,
        importance: note.importance,
        supersedesId: note.supersedesId,
        expiresAt: note.expiresInDays === undefined ? null : new Date(Date.now() + note.expiresInDays * DAY_MS),
        id: note.idempotencyKey ? idempotentNoteId(scope.tenantId, note.idempotencyKey) : undefined,
      });
      return toRecord(outcome.note);
    } catch (error) {
      if (error instanceof NoteNotFoundError) throw new ToolInputError(`there is no note ${error.noteId} to supersede; recall_notes shows the ids`);
      if (error instanceof NoteSupersededError) throw new ToolInputError(`note ${error.noteId} was already replaced by a newer version; recall_notes shows the current one`);
      throw error;
    }
  }

  async recall(scope: { tenantId: string; userId?: string }, query: string, limit: number): Promise<NoteRecord[]> {
    const found = await this.memory.search({ tenantId: scope.tenantId, userId: scope.userId ?? null, query, limit });
    return found.map((hit) => toRecord(hit.note));
  }
}

/** A stable note id for a write key: the same tenant and key always name the same note. */
export function idempotentNoteId(tenantId: string, key: string): string {
  return `note_${createHash('sha256').update(`${tenantId}\u0000${key}`).digest('hex').slice(0, 26)}`;
}

function toRecord(note: Note): NoteRecord {
  return {
    id: note.id,
    content: note.content,
    category: note.category,
    importance: Math.round(note.importance * 100) / 100,
    createdAt: note.createdAt.toISOString(),
    version: note.version,
    supersedesId: note.supersedesId,
  };
}
