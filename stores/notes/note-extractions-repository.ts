// The run-level marker of note extraction: one row per run, written after its notes, so a retried
// extraction returns the first one's notes instead of asking the model again.
import { eq } from 'drizzle-orm';
import type { Database } from '../database';
import { noteExtractions } from '../schema';

export class NoteExtractionsRepository {
  constructor(private readonly db: Database) {}

  async find(runId: string): Promise<string[] | undefined> {
    const [row] = await this.db.select({ noteIds: noteExtractions.noteIds }).from(noteExtractions).where(eq(noteExtractions.runId, runId)).limit(1);
    return row ? (row.noteIds as string[]) : undefined;
  }

  async record(runId: string, tenantId: string, noteIds: readonly string[]): Promise<void> {
    await this.db.insert(noteExtractions).values({ runId, tenantId, noteIds: [...noteIds] }).onConflictDoNothing();
  }
}
