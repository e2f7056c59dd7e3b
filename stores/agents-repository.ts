// Agent definitions: versioned per tenant; every read is scoped to the tenant, deletes are marks.
import { and, desc, eq, isNull, max, sql } from 'drizzle-orm';
import type { Database } from './database';
import { agents } from './schema';

export type AgentRow = typeof agents.$inferSelect;

export type AgentVersionInput = {
  tenantId: string;
  name: string;
  description?: string;
  settings: unknown;
  createdBy: string;
};

/** The first key of the advisory locks agent writers take (the second is a hash of tenant and name). */
const AGENT_LOCK_NAMESPACE = 7007;

/** Thrown when an agent is created under a name the tenant already uses. */
export class AgentNameTaken extends Error {
  constructor(readonly tenantId: string, readonly agentName: string, readonly latestVersion: number) {
    super(`agent ${agentName} already exists (version ${latestVersion})`);
    this.name = 'AgentNameTaken';
  }
}

/** Thrown when a new version is asked for an agent the tenant does not have (or deleted). */
export class AgentNotFound extends Error {
  constructor(readonly tenantId: string, readonly agentName: string) {
    super(`agent ${agentName} not found`);
    this.name = 'AgentNotFound';
  }
}

export class AgentsRepository {
  constructor(private readonly db: Database) {}

  /** Version 1 of a new agent (or the next number after a deleted one's versions). */
  async create(input: AgentVersionInput): Promise<AgentRow> {
    return this.insertNextVersion(input, (latest) => {
      if (latest) throw new AgentNameTaken(input.tenantId, input.name, latest.version);
    });
  }

  /** The next version of an existing agent. */
  async addVersion(input: AgentVersionInput): Promise<AgentRow> {
    return this.insertNextVersion(input, (latest) => {
      if (!latest) throw new AgentNotFound(input.tenantId, input.name);
    });
  }

  async latest(tenantId: string, name: string): Promise<AgentRow | undefined> {
    const rows = await this.db.select().from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.name, name), isNull(agents.deletedAt)))
      .orderBy(desc(agents.version)).limit(1);
    return rows[0];
  }

  async get(tenantId: string, name: string, version: number): Promise<AgentRow | undefined> {
    const rows = await this.db.select().from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.name, name), eq(agents.version, version), isNull(agents.deletedAt)));
    return rows[0];
  }

  /** The latest version of each of the tenant's agents, by name. */
  async list(tenantId: string): Promise<AgentRow[]> {
    return this.db.selectDistinctOn([agents.name]).from(agents)
      .where(and(eq(agents.tenantId, tenantId), isNull(agents.deletedAt)))
      .orderBy(agents.name, desc(agents.version));
  }

  /** Marks every version deleted; returns the versions marked (none: the tenant had no such agent). */
  async delete(tenantId: string, name: string): Promise<number[]> {
    const marked = await this.db.update(agents).set({ deletedAt: new Date() })
      .where(and(eq(agents.tenantId, tenantId), eq(agents.name, name), isNull(agents.deletedAt)))
      .returning({ version: agents.version });
    return marked.map((row) => row.version).sort((a, b) => a - b);
  }

  /**
   * Writers of one agent take turns (a transaction-scoped advisory lock on tenant and name), so two
   * creates of a name cannot both succeed and two PUTs get consecutive versions.
   */
  private async insertNextVersion(input: AgentVersionInput, check: (latest: { version: number } | undefined) => void): Promise<AgentRow> {
    return this.db.transaction(async (transaction) => {
      await transaction.execute(sql`select pg_advisory_xact_lock(${AGENT_LOCK_NAMESPACE}::int, hashtext(${`${input.tenantId}/${input.name}`}))`);
      const scope = and(eq(agents.tenantId, input.tenantId), eq(agents.name, input.name));
      const [live] = await transaction.select({ version: agents.version }).from(agents)
        .where(and(scope, isNull(agents.deletedAt))).orderBy(desc(agents.version)).limit(1);
      check(live);
      // Deleted versions count: a number once used is never given to another definition.
      const [current] = await transaction.select({ version: max(agents.version) }).from(agents).where(scope);
      const [inserted] = await transaction.insert(agents)
        .values({ ...input, description: input.description ?? null, version: (current?.version ?? 0) + 1 })
        .returning();
      if (!inserted) throw new Error(`agent ${input.name}: the insert of its next version returned no row`);
      return inserted;
    });
  }
}
