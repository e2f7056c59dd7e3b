// Runs: creation (idempotent per tenant key; a fork with its origin), lookup scoped to a tenant, status and outcome updates.
import { and, eq, sql } from 'drizzle-orm';
import type { Usage } from '../core/messages';
import type { RunOutcome, RunStatus } from '../core/run-status';
import type { Database } from './database';
import { runs } from './schema';

export type RunRow = typeof runs.$inferSelect;

export type NewRun = {
  id: string;
  tenantId: string;
  userId: string;
  spec: unknown;
  idempotencyKey?: string;
  /** A fork: the run it continues and where (see core/run-fork.ts). */
  fork?: { parentRunId: string; fromStep: number; throughSeq: number; instructions?: string };
  /** The experiment the run is enrolled in and the arm it got. */
  experiment?: { id: string; arm: string };
};

export class RunsRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the run, or returns the existing one holding the same idempotency key. */
  async create(run: NewRun): Promise<{ row: RunRow; created: boolean }> {
    const { fork, experiment, ...fields } = run;
    const origin = fork ? { parentRunId: fork.parentRunId, forkedFromStep: fork.fromStep, forkedThroughSeq: fork.throughSeq, forkInstructions: fork.instructions ?? null } : {};
    const inserted = await this.db
      .insert(runs)
      .values({ ...fields, ...origin, idempotencyKey: run.idempotencyKey ?? null, status: 'queued', experimentId: experiment?.id ?? null, experimentArm: experiment?.arm ?? null })
      .onConflictDoNothing()
      .returning();
    if (inserted[0]) return { row: inserted[0], created: true };
    const existing = run.idempotencyKey
      ? await this.findByIdempotencyKey(run.tenantId, run.idempotencyKey)
      : await this.get(run.tenantId, run.id);
    if (!existing) throw new Error(`run ${run.id} conflicted on insert but cannot be found`);
    return { row: existing, created: false };
  }

  async get(tenantId: string, runId: string): Promise<RunRow | undefined> {
    const rows = await this.db.select().from(runs).where(and(eq(runs.tenantId, tenantId), eq(runs.id, runId)));
    return rows[0];
  }

  /** For activities, which act on behalf of the run's own tenant. */
  async getById(runId: string): Promise<RunRow | undefined> {
    const rows = await this.db.select().from(runs).where(eq(runs.id, runId));
    return rows[0];
  }

  async findByIdempotencyKey(tenantId: string, key: string): Promise<RunRow | undefined> {
    const rows = await this.db
      .select()
      .from(runs)
      .where(and(eq(runs.tenantId, tenantId), eq(runs.idempotencyKey, key)));
    return rows[0];
  }

  /** The tenant's runs, or (userId given) that user's only. */
  async list(tenantId: string, limit: number, userId?: string): Promise<RunRow[]> {
    return this.db.select().from(runs).where(and(eq(runs.tenantId, tenantId), userId === undefined ? undefined : eq(runs.userId, userId)))
      .orderBy(sql`${runs.createdAt} desc`).limit(limit);
  }

  async finish(runId: string, result: { status: RunStatus; step: number; usage: Usage; outcome: RunOutcome; lastError?: string; costUsd?: number }): Promise<void> {
    const now = new Date();
    const { costUsd, ...rest } = result;
    await this.db
      .update(runs)
      .set({ ...rest, ...(costUsd === undefined ? {} : { costUsd }), lastError: result.lastError ?? null, updatedAt: now, finishedAt: now })
      .where(eq(runs.id, runId));
  }
}
