// Experiments: created running, read and listed per tenant, stopped once with a winner; the
// experiment a new run of an agent falls under (its newest, running or stopped).
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from './database';
import { experiments } from './schema';

export type ExperimentRow = typeof experiments.$inferSelect;

export type NewExperiment = { id: string; tenantId: string; name: string; agentName: string; arms: unknown; createdBy: string };

/** Thrown when an agent already has a running experiment (one at a time keeps assignment unambiguous). */
export class ExperimentAlreadyRunning extends Error {
  constructor(readonly agentName: string) {
    super(`agent ${agentName} already has a running experiment`);
    this.name = 'ExperimentAlreadyRunning';
  }
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if ('code' in cause && cause.code === UNIQUE_VIOLATION) return true;
  }
  return false;
}

export class ExperimentsRepository {
  constructor(private readonly db: Database) {}

  async create(experiment: NewExperiment): Promise<ExperimentRow> {
    try {
      const [row] = await this.db.insert(experiments).values({ ...experiment, status: 'running' }).returning();
      if (!row) throw new Error(`experiment ${experiment.id} was not inserted`);
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ExperimentAlreadyRunning(experiment.agentName);
      throw error;
    }
  }

  async get(tenantId: string, id: string): Promise<ExperimentRow | undefined> {
    const rows = await this.db.select().from(experiments).where(and(eq(experiments.tenantId, tenantId), eq(experiments.id, id)));
    return rows[0];
  }

  /** The tenant's experiments, newest first (or one agent's). */
  async list(tenantId: string, limit: number, agentName?: string): Promise<ExperimentRow[]> {
    return this.db.select().from(experiments)
      .where(and(eq(experiments.tenantId, tenantId), agentName === undefined ? undefined : eq(experiments.agentName, agentName)))
      .orderBy(desc(experiments.createdAt), desc(experiments.id)).limit(limit);
  }

  /** The agent's newest experiment: a running one assigns arms, a stopped one sends runs to its winner. */
  async currentForAgent(tenantId: string, agentName: string): Promise<ExperimentRow | undefined> {
    const rows = await this.db.select().from(experiments)
      .where(and(eq(experiments.tenantId, tenantId), eq(experiments.agentName, agentName)))
      .orderBy(desc(experiments.createdAt), desc(experiments.id)).limit(1);
    return rows[0];
  }

  /** Stops a running experiment; undefined when it was not running (already stopped, or not the tenant's). */
  async stop(tenantId: string, id: string, winner: string, stoppedBy: string, now = new Date()): Promise<ExperimentRow | undefined> {
    const rows = await this.db.update(experiments).set({ status: 'stopped', winner, stoppedBy, stoppedAt: now })
      .where(and(eq(experiments.tenantId, tenantId), eq(experiments.id, id), eq(experiments.status, 'running'))).returning();
    return rows[0];
  }
}
