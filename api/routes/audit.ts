// The audit log over HTTP: admin actions and review decisions, newest first, filtered, paged by cursor.
// A tenant's admins read their tenant's entries; the platform operator reads every tenant's.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roleCan } from '../../core/access';
import type { AuditRepository, AuditRow } from '../../stores/audit-repository';
import { auditEntryResource, auditQuery } from '../admin-schemas';
import { principalOf } from '../auth';
import { errorResponse } from '../schemas';
import type { TenantScope } from '../tenant-scope';

function toAuditEntry(row: AuditRow): z.infer<typeof auditEntryResource> {
  return {
    id: String(row.id), tenantId: row.tenantId, actor: { tenantId: row.actorTenantId, userId: row.actorUserId, keyId: row.actorKeyId },
    action: row.action, target: { type: row.targetType, id: row.targetId }, details: row.details ?? null, at: row.at.toISOString(),
  };
}

export function auditRoutes(audit: AuditRepository, scope: TenantScope): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/audit', {
      config: { permission: 'audit:read' },
      schema: {
        summary: 'Admin actions and review decisions, newest first (who, what, target, when)',
        querystring: auditQuery,
        response: { 200: z.object({ entries: z.array(auditEntryResource), nextCursor: z.string().nullable() }), 400: errorResponse, 404: errorResponse },
      },
    }, async (request) => {
      const principal = principalOf(request);
      const { tenantId, action, actor, targetId, from, to, cursor, limit } = request.query;
      const scoped = tenantId !== undefined ? await scope.reach(principal, tenantId)
        : roleCan(principal.role, 'tenants:admin') ? undefined : principal.tenantId;
      const rows = await audit.list({
        tenantId: scoped, action, actorUserId: actor, targetId, limit,
        from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, before: cursor ? Number(cursor) : undefined,
      });
      return { entries: rows.map(toAuditEntry), nextCursor: rows.length === limit ? String(rows.at(-1)!.id) : null };
    });
  };
}
