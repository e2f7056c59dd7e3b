// Step snapshots' rows (schema.ts `step_snapshots`): which steps of a run kept the workspace as they
// left it, for forks. Written with the step's batch (step-writes-repository.ts); read here.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from './database';
import { stepSnapshots } from './schema';
import { parseStoredRow } from './stored-row';

export type StepSnapshotRow = { runId: string; step: number; manifestRef: string; entries: number; unrestorable: string[]; truncated: boolean };

const unrestorableSchema = z.array(z.string());

export class StepSnapshotsRepository {
  constructor(private readonly db: Database) {}

  async get(tenantId: string, runId: string, step: number): Promise<StepSnapshotRow | undefined> {
    const rows = await this.db.select().from(stepSnapshots)
      .where(and(eq(stepSnapshots.tenantId, tenantId), eq(stepSnapshots.runId, runId), eq(stepSnapshots.step, step)));
    const row = rows[0];
    if (!row) return undefined;
    return {
      runId: row.runId, step: row.step, manifestRef: row.manifestRef, entries: row.entries, truncated: row.truncated,
      unrestorable: parseStoredRow(unrestorableSchema, row.unrestorable, { table: 'step_snapshots', id: `${runId}#${step}` }),
    };
  }
}
