// Users of a tenant: created with a role, listed, their role changed, disabled and enabled again.
import { and, eq } from 'drizzle-orm';
import type { Database } from './database';
import { users } from './schema';

export type UserRow = typeof users.$inferSelect;

export class UsersRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the user; undefined when the tenant already has one with this id. */
  async create(user: { tenantId: string; id: string; name: string; email?: string | null; role: string }): Promise<UserRow | undefined> {
    const rows = await this.db.insert(users).values({ ...user, email: user.email ?? null }).onConflictDoNothing().returning();
    return rows[0];
  }

  async get(tenantId: string, id: string): Promise<UserRow | undefined> {
    const rows = await this.db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    return rows[0];
  }

  async list(tenantId: string): Promise<UserRow[]> {
    return this.db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(users.createdAt, users.id);
  }

  async update(tenantId: string, id: string, change: { role?: string; disabled?: boolean }): Promise<UserRow | undefined> {
    const set: Partial<typeof users.$inferInsert> = {};
    if (change.role !== undefined) set.role = change.role;
    if (change.disabled !== undefined) set.disabledAt = change.disabled ? new Date() : null;
    if (Object.keys(set).length === 0) return this.get(tenantId, id);
    const rows = await this.db.update(users).set(set).where(and(eq(users.tenantId, tenantId), eq(users.id, id))).returning();
    return rows[0];
  }
}
