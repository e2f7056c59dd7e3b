// The notes API over real HTTP on the test PostgreSQL (exact-search fallback: no pgvector here):
// record through the write path, search and list, delete, tenant isolation and bad input.
import { api } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';

describe('the notes API', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ worker: false });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const post = (body: unknown, key = harness.keys.a) => api(harness.apiUrl, 'POST', '/v1/notes', { key, body });
  const get = (path: string, key = harness.keys.a) => api(harness.apiUrl, 'GET', path, { key });

  it('records a note with its category\'s importance and finds it by its words', async () => {
    const created = await post({ content: 'The user prefers pnpm over npm.', category: 'user_preference' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ action: 'inserted', superseded: null, note: { importance: 0.9, version: 1, userId: 'user-a', category: 'user_preference' } });
    await post({ content: 'Invoices are sent on the first of the month.', category: 'project_info' });

    const found = await get(`/v1/notes?query=${encodeURIComponent('which package manager: pnpm or npm?')}&limit=1`);
    expect(found.status).toBe(200);
    expect(found.body.notes).toHaveLength(1);
    expect(found.body.notes[0]).toMatchObject({ id: created.body.note.id, content: 'The user prefers pnpm over npm.' });
    const hit = found.body.notes[0];
    // 0.7 similarity + 0.2 importance (0.9) + 0.1 recency (just written: 1).
    expect(hit.score).toBeCloseTo(0.7 * hit.similarity + 0.2 * 0.9 + 0.1, 3);
    const single = await get(`/v1/notes/${created.body.note.id}`);
    expect(single.body).toMatchObject({ id: created.body.note.id, supersededBy: null });
  });

  it('merges a near-duplicate: both versions kept, the old one linked to the new', async () => {
    const first = await post({ content: 'The staging database is PostgreSQL 15.', category: 'project_info' });
    const second = await post({ content: 'The staging database is PostgreSQL 16.', category: 'project_info' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ action: 'superseded', superseded: { id: first.body.note.id, supersededBy: second.body.note.id }, note: { version: 2, supersedesId: first.body.note.id } });
    expect(second.body.similarity).toBeGreaterThanOrEqual(0.9);

    const latest = await get('/v1/notes?query=staging%20database&category=project_info');
    expect(latest.body.notes.map((note: any) => note.id)).toContain(second.body.note.id);
    expect(latest.body.notes.map((note: any) => note.id)).not.toContain(first.body.note.id);
    const history = await get('/v1/notes?query=staging%20database&category=project_info&history=true');
    expect(history.body.notes.map((note: any) => note.id)).toEqual(expect.arrayContaining([first.body.note.id, second.body.note.id]));
    expect((await get(`/v1/notes/${first.body.note.id}`)).body.supersededBy).toBe(second.body.note.id);
  });

  it('lists the newest notes when no query is given, filtered by user', async () => {
    await post({ content: 'Another user likes long commit messages.', userId: 'user-z' });
    const listed = await get('/v1/notes?userId=user-z');
    expect(listed.status).toBe(200);
    expect(listed.body.notes.map((note: any) => note.content)).toEqual(['Another user likes long commit messages.']);
    expect(listed.body.notes[0].score).toBeNull();
  });

  it('deletes a note explicitly: it is never listed, searched or found again', async () => {
    const created = await post({ content: 'The VPN password rotates every Tuesday.', category: 'temp_info' });
    const deleted = await api(harness.apiUrl, 'DELETE', `/v1/notes/${created.body.note.id}`, { key: harness.keys.a });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: created.body.note.id, deleted: [created.body.note.id] });
    expect((await get(`/v1/notes/${created.body.note.id}`)).status).toBe(404);
    const searched = await get('/v1/notes?query=VPN%20password&history=true');
    expect(searched.body.notes.map((note: any) => note.id)).not.toContain(created.body.note.id);
    expect((await api(harness.apiUrl, 'DELETE', `/v1/notes/${created.body.note.id}`, { key: harness.keys.a })).status).toBe(404);
  });

  it('never shows one tenant\'s notes to another', async () => {
    const secret = await post({ content: 'Tenant A ships on Thursdays only.', category: 'project_info' });
    const id = secret.body.note.id;
    expect((await get(`/v1/notes/${id}`, harness.keys.b)).status).toBe(404);
    expect((await api(harness.apiUrl, 'DELETE', `/v1/notes/${id}`, { key: harness.keys.b })).status).toBe(404);
    const searched = await get('/v1/notes?query=Tenant%20A%20ships%20on%20Thursdays&history=true', harness.keys.b);
    expect(searched.status).toBe(200);
    expect(searched.body.notes).toEqual([]);
    expect((await get('/v1/notes', harness.keys.b)).body.notes).toEqual([]);
    const superseding = await post({ content: 'Tenant B ships daily.', supersedes: id }, harness.keys.b);
    expect(superseding.status).toBe(404);
    expect((await get(`/v1/notes/${id}`)).body.supersededBy).toBeNull();
  });

  it('answers bad input with 4xx JSON naming the field', async () => {
    const empty = await post({ content: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('body.content') });
    expect((await post({ content: 'x', importance: 2 })).body.error.message).toContain('body.importance');
    expect((await post({ content: 'x', color: 'red' })).status).toBe(400);
    expect((await post({ content: 'x', expiresAt: '2030-01-01T00:00:00Z', ttlSeconds: 60 })).status).toBe(400);
    const badLimit = await get('/v1/notes?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toContain('querystring.limit');
    expect((await get('/v1/notes?limit=1000')).status).toBe(400);
    expect((await get('/v1/notes?history=maybe')).status).toBe(400);
    const unknown = await api(harness.apiUrl, 'DELETE', '/v1/notes/note_01JUNKNOWN00000000000000000', { key: harness.keys.a });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await get('/v1/notes/not-a-note-id')).status).toBe(400);
    expect((await post({ content: 'x', supersedes: 'note_01JUNKNOWN00000000000000000' })).body.error).toMatchObject({ code: 'not_found', details: { field: 'body.supersedes' } });
    expect((await api(harness.apiUrl, 'GET', '/v1/notes')).status).toBe(401);
  });

  it('documents the note routes in the OpenAPI document', async () => {
    const document = await api(harness.apiUrl, 'GET', '/docs/json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/v1/notes', '/v1/notes/{id}']));
    expect(Object.keys(document.body.paths['/v1/notes'])).toEqual(expect.arrayContaining(['get', 'post']));
  });

  it('answers 409 when superseding a version that was already superseded', async () => {
    const first = await post({ content: 'The release train leaves every second Wednesday.' });
    await post({ content: 'The release train leaves every Wednesday.', supersedes: first.body.note.id });
    const late = await post({ content: 'The release train leaves on Fridays.', supersedes: first.body.note.id });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('note_superseded');
  });
});
