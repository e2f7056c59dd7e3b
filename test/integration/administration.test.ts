// From an empty PostgreSQL: `keel admin bootstrap` prints the first platform operator key (and
// refuses a second time), the operator creates two tenants, their owners make users and keys over
// the API, and keys rotate, expire and are revoked; tenants suspend; every action is audited.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { createFreshDatabase, type FreshDatabase } from '../support/fresh-database';
import { startHarness, type Harness } from '../support/keel-harness';

const CLI = path.join(__dirname, '..', '..', 'bin', 'keel.js');
const REVIEW_EVERYTHING = { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false };

function bootstrap(databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'admin', 'bootstrap'], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('administering Keel over the API from an empty database', () => {
  let database: FreshDatabase;
  let harness: Harness;
  let platformKey: string;
  const acme = `acme-${ulid().toLowerCase()}`;
  const globex = `globex-${ulid().toLowerCase()}`;
  const keys: Record<string, { id: string; secret: string }> = {};
  const call = (key: string, method: string, route: string, body?: unknown) => api(harness.apiUrl, method, route, { key, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    database = await createFreshDatabase();
    const first = await bootstrap(database.url);
    expect(first.stderr).toContain('shown once');
    expect(first.code).toBe(0);
    platformKey = first.stdout.trim();
    expect(platformKey).toMatch(/^keel_[A-Za-z0-9_-]{40,}$/);
    harness = await startHarness({ databaseUrl: database.url });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await database?.drop();
  });

  it('refuses a second bootstrap once a platform key exists', async () => {
    const second = await bootstrap(database.url);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('bootstrap_refused');
  });

  it('creates two tenants, their owners, and users and keys of each role', async () => {
    for (const tenant of [acme, globex]) {
      const created = await call(platformKey, 'POST', '/v1/tenants', { id: tenant, name: `Tenant ${tenant}` });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: tenant, status: 'active' });
    }
    expect((await call(platformKey, 'POST', '/v1/tenants', { id: acme, name: 'again' })).body.error).toMatchObject({ code: 'tenant_exists', details: { field: 'body.id' } });
    const listed = await call(platformKey, 'GET', '/v1/tenants?limit=200');
    expect(listed.body.tenants.map((tenant: { id: string }) => tenant.id)).toEqual(expect.arrayContaining([acme, globex, 'platform']));

    for (const [tenant, owner] of [[acme, 'alice'], [globex, 'gina']] as const) {
      expect((await call(platformKey, 'POST', `/v1/tenants/${tenant}/users`, { id: owner, name: owner, role: 'owner' })).status).toBe(201);
      const key = await call(platformKey, 'POST', `/v1/tenants/${tenant}/keys`, { userId: owner, name: `${owner}'s laptop` });
      expect(key.status).toBe(201);
      expect(key.headers.get('cache-control')).toBe('no-store');
      expect(key.body.key).toMatchObject({ userId: owner, status: 'active', prefix: key.body.secret.slice(0, 9), lastUsedAt: null });
      keys[owner] = { id: key.body.key.id, secret: key.body.secret };
    }
    for (const [user, role] of [['dave', 'admin'], ['bob', 'member'], ['carol', 'viewer']] as const) {
      expect((await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/users`, { id: user, name: user, role })).body).toMatchObject({ id: user, role, status: 'active' });
      const key = await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/keys`, { userId: user, name: user });
      keys[user] = { id: key.body.key.id, secret: key.body.secret };
    }
    const users = await call(keys.dave!.secret, 'GET', `/v1/tenants/${acme}/users`);
    expect(users.body.users.map((user: { id: string; role: string }) => `${user.id}:${user.role}`)).toEqual(['alice:owner', 'dave:admin', 'bob:member', 'carol:viewer']);
    // Keys never show their secret again.
    const listedKeys = await call(keys.alice!.secret, 'GET', `/v1/tenants/${acme}/keys`);
    expect(JSON.stringify(listedKeys.body)).not.toContain(keys.bob!.secret);
  });

  it('lets a role grant only roles whose permissions it holds', async () => {
    const owner = await call(keys.dave!.secret, 'POST', `/v1/tenants/${acme}/users`, { id: 'eve', name: 'eve', role: 'owner' });
    expect(owner.status).toBe(403);
    expect(owner.body.error).toMatchObject({ code: 'role_not_grantable', details: { field: 'body.role' } });
    expect((await call(keys.dave!.secret, 'PATCH', `/v1/tenants/${acme}/users/alice`, { disabled: true })).status).toBe(403);
    expect((await call(keys.dave!.secret, 'POST', `/v1/tenants/${acme}/keys`, { userId: 'alice', name: 'mine now' })).status).toBe(403);
    expect((await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/users`, { id: 'pat', name: 'pat', role: 'platform' })).status).toBe(400);
    const member = await call(keys.bob!.secret, 'GET', `/v1/tenants/${acme}/users`);
    expect(member.body.error).toMatchObject({ code: 'permission_denied', details: { permission: 'users:read' } });
    expect((await call(keys.alice!.secret, 'GET', '/v1/tenants')).body.error).toMatchObject({ code: 'permission_denied', details: { permission: 'tenants:admin' } });
  });

  it("answers another tenant's owner 404 on everything of the first tenant, as for a tenant nobody has", async () => {
    const nobody = `nobody-${ulid().toLowerCase()}`;
    for (const [method, suffix, body] of [
      ['GET', '/users', undefined], ['GET', '/users/alice', undefined], ['PATCH', '/users/bob', { role: 'viewer' }],
      ['POST', '/users', { id: 'mole', name: 'mole' }], ['GET', '/keys', undefined], ['POST', '/keys', { userId: 'bob', name: 'x' }],
      ['POST', `/keys/${keys.bob!.id}/rotate`, {}], ['DELETE', `/keys/${keys.bob!.id}`, undefined],
    ] as const) {
      const theirs = await call(keys.gina!.secret, method, `/v1/tenants/${acme}${suffix}`, body);
      const unknown = await call(keys.gina!.secret, method, `/v1/tenants/${nobody}${suffix}`, body);
      expect([method, suffix, theirs.status, theirs.body.error.code]).toEqual([method, suffix, 404, 'not_found']);
      expect(JSON.stringify(theirs.body).replaceAll(acme, nobody)).toBe(JSON.stringify(unknown.body));
    }
    expect((await call(keys.gina!.secret, 'GET', `/v1/audit?tenantId=${acme}`)).status).toBe(404);
    expect((await call(keys.bob!.secret, 'GET', '/v1/runs')).status).toBe(200);
  });

  it('rotates a key: with an overlap both work, without one the old key stops at once', async () => {
    const rotated = await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/keys/${keys.bob!.id}/rotate`, { overlapSeconds: 3600 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.previous).toMatchObject({ id: keys.bob!.id, rotatedTo: rotated.body.key.id, status: 'active' });
    const overlapEnds = Date.parse(rotated.body.previous.expiresAt);
    expect(overlapEnds).toBeGreaterThan(Date.now() + 3500_000);
    expect(overlapEnds).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect((await call(keys.bob!.secret, 'GET', '/v1/runs')).status).toBe(200);
    expect((await call(rotated.body.secret, 'GET', '/v1/runs')).status).toBe(200);

    const again = await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/keys/${rotated.body.key.id}/rotate`, { overlapSeconds: 0 });
    expect(again.status).toBe(201);
    const old = await call(rotated.body.secret, 'GET', '/v1/runs');
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('key_expired');
    expect((await call(again.body.secret, 'GET', '/v1/runs')).status).toBe(200);
    keys.bob = { id: again.body.key.id, secret: again.body.secret };
    expect(again.body.key.expiresAt).toBeNull();

    // A key with a lifetime hands the same lifetime to its successor.
    const dated = await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/keys`, { userId: 'carol', name: 'dated', expiresInSeconds: 7200 });
    const successor = await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/keys/${dated.body.key.id}/rotate`, {});
    const lifetime = Date.parse(successor.body.key.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(7000_000);
    expect(lifetime).toBeLessThanOrEqual(7200_000);
    // The default overlap (a day) is longer than the old key had left: it keeps its own earlier expiry.
    expect(successor.body.previous.expiresAt).toBe(dated.body.key.expiresAt);
  });

  it('answers 401 key_expired once a key passes its expiry, even while it was cached', async () => {
    const past = await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/keys`, { userId: 'carol', name: 'past', expiresAt: '2001-01-01T00:00:00Z' });
    expect(past.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'body.expiresAt' } });
    const short = await call(keys.alice!.secret, 'POST', `/v1/tenants/${acme}/keys`, { userId: 'carol', name: 'short', expiresInSeconds: 1 });
    const expiresAt = Date.parse(short.body.key.expiresAt);
    const first = await call(short.body.secret, 'GET', '/v1/runs');
    // Either still valid (and now cached) or already expired on a slow machine.
    expect([200, 401]).toContain(first.status);
    while (Date.now() <= expiresAt) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await call(short.body.secret, 'GET', '/v1/runs');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('key_expired');
    const listed = await call(keys.alice!.secret, 'GET', `/v1/tenants/${acme}/keys?userId=carol`);
    expect(listed.body.keys.find((key: { id: string }) => key.id === short.body.key.id)).toMatchObject({ status: 'expired' });
  });

  it('revokes a key (401 from then on), lists keys by prefix with their last use', async () => {
    const revoked = await call(keys.alice!.secret, 'DELETE', `/v1/tenants/${acme}/keys/${keys.carol!.id}`);
    expect(revoked.body).toMatchObject({ id: keys.carol!.id, status: 'revoked' });
    const refused = await call(keys.carol!.secret, 'GET', '/v1/runs');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    const byPrefix = await call(keys.alice!.secret, 'GET', `/v1/tenants/${acme}/keys?prefix=${encodeURIComponent(keys.dave!.secret.slice(0, 9))}`);
    expect(byPrefix.body.keys.map((key: { id: string }) => key.id)).toContain(keys.dave!.id);
    expect(byPrefix.body.keys.find((key: { id: string }) => key.id === keys.dave!.id).lastUsedAt).not.toBeNull();
    const withRevoked = await call(keys.alice!.secret, 'GET', `/v1/tenants/${acme}/keys?revoked=true`);
    expect(withRevoked.body.keys.map((key: { id: string }) => key.id)).toContain(keys.carol!.id);
  });

  it("disables a user (their keys answer 403) and suspends a tenant (its keys answer 403) until undone", async () => {
    expect((await call(keys.alice!.secret, 'PATCH', `/v1/tenants/${acme}/users/bob`, { disabled: true })).body.status).toBe('disabled');
    expect((await call(keys.bob!.secret, 'GET', '/v1/runs')).body.error.code).toBe('user_disabled');
    expect((await call(keys.alice!.secret, 'PATCH', `/v1/tenants/${acme}/users/bob`, { disabled: false })).body.status).toBe('active');
    expect((await call(keys.bob!.secret, 'GET', '/v1/runs')).status).toBe(200);

    const suspended = await call(platformKey, 'POST', `/v1/tenants/${globex}/suspend`, { reason: 'unpaid invoice' });
    expect(suspended.body).toMatchObject({ status: 'suspended', suspendedReason: 'unpaid invoice' });
    const refused = await call(keys.gina!.secret, 'GET', '/v1/runs');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('tenant_suspended');
    expect((await call(platformKey, 'POST', `/v1/tenants/${globex}/resume`, {})).body.status).toBe('active');
    expect((await call(keys.gina!.secret, 'GET', '/v1/runs')).status).toBe(200);
    expect((await call(platformKey, 'POST', '/v1/tenants/platform/suspend', {})).status).toBe(409);
  });

  it('changes a role with effect on the keys the user already has', async () => {
    expect((await call(keys.bob!.secret, 'GET', `/v1/tenants/${acme}/users`)).status).toBe(403);
    expect((await call(keys.alice!.secret, 'PATCH', `/v1/tenants/${acme}/users/bob`, { role: 'admin' })).body.role).toBe('admin');
    expect((await call(keys.bob!.secret, 'GET', `/v1/tenants/${acme}/users`)).status).toBe(200);
    expect((await call(keys.alice!.secret, 'PATCH', `/v1/tenants/${acme}/users/bob`, { role: 'member' })).body.role).toBe('member');
  });

  it('audits every admin action and review decision, filtered and paged by cursor', async () => {
    const name = `admin-review-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] } }, { reply: { text: 'done' } }] });
    const run = await call(keys.bob!.secret, 'POST', '/v1/runs', { message: 'write a file', model: `local/${name}`, policy: REVIEW_EVERYTHING });
    const review = await waitForReview(harness.apiUrl, keys.bob!.secret, run.body.id);
    expect((await call(keys.bob!.secret, 'POST', `/v1/runs/${run.body.id}/reviews/${review.id}`, { action: 'approve', reason: 'fine' })).status).toBe(200);
    await waitForRun(harness.apiUrl, keys.bob!.secret, run.body.id);

    const audit = await call(keys.alice!.secret, 'GET', '/v1/audit?limit=200');
    expect(audit.status).toBe(200);
    const actions = audit.body.entries.map((entry: { action: string }) => entry.action);
    for (const action of ['user.created', 'user.updated', 'key.created', 'key.rotated', 'key.revoked', 'review.decided']) expect(actions).toContain(action);
    expect(audit.body.entries.every((entry: { tenantId: string }) => entry.tenantId === acme)).toBe(true);
    const decided = audit.body.entries.find((entry: { action: string }) => entry.action === 'review.decided');
    expect(decided).toMatchObject({ actor: { tenantId: acme, userId: 'bob', keyId: keys.bob!.id }, target: { type: 'review', id: review.id }, details: { decision: 'approve', reason: 'fine' } });
    const revoked = await call(keys.alice!.secret, 'GET', `/v1/audit?action=key.revoked&targetId=${keys.carol!.id}`);
    expect(revoked.body.entries).toEqual([expect.objectContaining({ actor: expect.objectContaining({ userId: 'alice' }), target: { type: 'key', id: keys.carol!.id } })]);

    const firstPage = await call(platformKey, 'GET', `/v1/audit?tenantId=${acme}&limit=2`);
    expect(firstPage.body.entries).toHaveLength(2);
    const secondPage = await call(platformKey, 'GET', `/v1/audit?tenantId=${acme}&limit=2&cursor=${firstPage.body.nextCursor}`);
    expect(Number(secondPage.body.entries[0].id)).toBeLessThan(Number(firstPage.body.entries[1].id));
    const everywhere = await call(platformKey, 'GET', '/v1/audit?action=tenant.suspended');
    expect(everywhere.body.entries).toEqual([expect.objectContaining({ tenantId: globex, actor: expect.objectContaining({ tenantId: 'platform' }) })]);
    const globexView = await call(keys.gina!.secret, 'GET', '/v1/audit?limit=200');
    expect(JSON.stringify(globexView.body)).not.toContain(acme);
  }, 60_000);
});
