// Every /v1 route of the OpenAPI document, called with a key of every role: a role the permission
// table (core/access/roles.ts) gives the route's `x-permission` is let through, every other role gets
// 403 naming the permission. Then ownership: a member reaches only its own runs and their reviews.
import { ulid } from 'ulid';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '../../core/access';
import { TenantsRepository } from '../../stores/tenants-repository';
import { api, waitForReview } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

type Operation = { method: string; path: string; permission: string };
const REVIEW_EVERYTHING = { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false };

describe('roles and permissions, route by route', () => {
  let harness: Harness;
  let operations: Operation[] = [];
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    harness = await startHarness();
    const tenants = new TenantsRepository(harness.services.database.db);
    for (const role of ROLES) keys[role] = (await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId: `roles-${role}`, name: role, role })).key;
    const document = (await api(harness.apiUrl, 'GET', '/docs/json')).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, permission: String(operation['x-permission']) })));
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('gives every /v1 route of the document a permission from the table', () => {
    const v1 = operations.filter((operation) => operation.path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(20);
    const undeclared = v1.filter((operation) => !(PERMISSIONS as readonly string[]).includes(operation.permission) && operation.permission !== 'none');
    expect(undeclared.map((operation) => `${operation.method} ${operation.path}: ${operation.permission}`)).toEqual([]);
  });

  it('lets each role through exactly the routes its permissions name, and refuses the rest with 403 naming the permission', async () => {
    const mismatches: string[] = [];
    const guarded = operations.filter((operation) => operation.path.startsWith('/v1/') && operation.permission !== 'none');
    for (const operation of guarded) {
      // Ids nobody has: an allowed call ends in 404 or 400, never in a change.
      const path = operation.path.replace(/\{[^}]+\}/g, () => `x${ulid().toLowerCase()}`);
      for (const role of ROLES) {
        const response = await api(harness.apiUrl, operation.method, path, {
          key: keys[role], headers: { accept: 'application/json' }, ...(operation.method === 'GET' || operation.method === 'DELETE' ? {} : { body: {} }),
        });
        const allowed = ROLE_PERMISSIONS[role].has(operation.permission as Permission);
        const denied = response.status === 403 && response.body?.error?.code === 'permission_denied';
        if (allowed && denied) mismatches.push(`${role} ${operation.method} ${operation.path}: refused but holds ${operation.permission}`);
        if (!allowed && !denied) mismatches.push(`${role} ${operation.method} ${operation.path}: answered ${response.status} without ${operation.permission}`);
        if (denied && response.body.error.details?.permission !== operation.permission) mismatches.push(`${role} ${operation.method} ${operation.path}: 403 names ${response.body.error.details?.permission}`);
        if (response.status >= 500) mismatches.push(`${role} ${operation.method} ${operation.path}: ${response.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('keeps a member to its own runs and reviews; an operator reaches all, a viewer reads but cannot act', async () => {
    const tenants = new TenantsRepository(harness.services.database.db);
    const other = (await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId: 'roles-member-2', name: 'second member', role: 'member' })).key;
    const name = `roles-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] } }, { reply: { text: 'done' } }] });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: keys.member, body: { message: 'write a file', model: `local/${name}`, policy: REVIEW_EVERYTHING } });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    const review = await waitForReview(harness.apiUrl, keys.member, runId);

    for (const path of [`/v1/runs/${runId}`, `/v1/runs/${runId}/messages`, `/v1/runs/${runId}/events/list`, `/v1/reviews/${review.id}`]) {
      const response = await api(harness.apiUrl, 'GET', path, { key: other });
      expect([path, response.status, response.body.error?.code]).toEqual([path, 404, 'not_found']);
    }
    expect((await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/cancel`, { key: other, body: {} })).status).toBe(404);
    expect((await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/reviews/${review.id}`, { key: other, body: { action: 'approve' } })).status).toBe(404);
    const otherList = await api(harness.apiUrl, 'GET', '/v1/runs?limit=200', { key: other });
    expect(otherList.body.runs.map((run: { id: string }) => run.id)).not.toContain(runId);
    const otherReviews = await api(harness.apiUrl, 'GET', `/v1/reviews?runId=${runId}`, { key: other });
    expect(otherReviews.body.reviews).toEqual([]);

    expect((await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: keys.viewer })).status).toBe(200);
    const viewerCancel = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/cancel`, { key: keys.viewer, body: {} });
    expect(viewerCancel.status).toBe(403);
    expect(viewerCancel.body.error).toMatchObject({ code: 'permission_denied', details: { permission: 'runs:control' } });
    const operatorList = await api(harness.apiUrl, 'GET', '/v1/runs?limit=200', { key: keys.operator });
    expect(operatorList.body.runs.map((run: { id: string }) => run.id)).toContain(runId);
    const decided = await api(harness.apiUrl, 'POST', `/v1/runs/${runId}/reviews/${review.id}`, { key: keys.operator, body: { action: 'reject', reason: 'not needed' } });
    expect(decided.status).toBe(200);
    expect(decided.body.decidedBy).toBe('roles-operator');
  }, 60_000);

  it('reads a key stored with the old `reviewer` role as an operator', async () => {
    const legacy = (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'roles-legacy', name: 'legacy', role: 'reviewer' })).key;
    expect((await api(harness.apiUrl, 'GET', '/v1/runs', { key: legacy })).status).toBe(200);
    const policy = await api(harness.apiUrl, 'PUT', '/v1/policy', { key: legacy, body: {} });
    expect(policy.body.error).toMatchObject({ code: 'permission_denied', details: { permission: 'policy:write' } });
  });
});
