// The audit log: every admin action and review decision, appended, read newest first with filters
// and an id cursor.
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Database } from './database';
import { auditLog } from './schema';

export type AuditRow = typeof auditLog.$inferSelect;

export type AuditEntry = {
  tenantId: string;
  actor: { tenantId: string; userId: string; keyId?: string | null };
  action: string;
  target: { type: string; id: string };
  details?: Record<string, unknown>;
};

export type AuditFilter = {
  /** Undefined: every tenant (the platform operator's view). */
  tenantId?: string;
  action?: string;
  actorUserId?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Only entries older than this id (the previous page's `nextCursor`). */
  before?: number;
  limit: number;
};

export class AuditRepository {
  constructor(private readonly db: Database) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.insert(auditLog).values({
      tenantId: entry.tenantId, actorTenantId: entry.actor.tenantId, actorUserId: entry.actor.userId, actorKeyId: entry.actor.keyId ?? null,
      action: entry.action, targetType: entry.target.type, targetId: entry.target.id, details: entry.details ?? null,
    });
  }

  async list(filter: AuditFilter): Promise<AuditRow[]> {
    const conditions: SQL[] = [];
    if (filter.tenantId !== undefined) conditions.push(eq(auditLog.tenantId, filter.tenantId));
    if (filter.action) conditions.push(eq(auditLog.action, filter.action));
    if (filter.actorUserId) conditions.push(eq(auditLog.actorUserId, filter.actorUserId));
    if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
    if (filter.from) conditions.push(gte(auditLog.at, filter.from));
    if (filter.to) conditions.push(lt(auditLog.at, filter.to));
    if (filter.before !== undefined) conditions.push(lt(auditLog.id, filter.before));
    return this.db.select().from(auditLog).where(conditions.length > 0 ? and(...conditions) : undefined)
      .orderBy(desc(auditLog.id)).limit(filter.limit);
  }
}
