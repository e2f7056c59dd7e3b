// One contract for every notes store: pgvector on PGlite, exact search on PostgreSQL without
// pgvector, and Pinecone through its SDK against the local emulation. Each runs the write path
// (merge and supersede, both versions kept), the read path filters and tenant isolation.
import { DEFAULT_MEMORY_SETTINGS, type EmbeddedNote } from '../../../core/memory';
import { LocalEmbedder } from '../../../providers/embeddings';
import { NoteNotFoundError, NoteSupersededError, SemanticMemory } from '../../../stores/notes';
import { CONTRACT_DIMENSIONS, NOTES_DEPLOYMENTS, type NotesDeployment } from './notes-deployments';

const DAY_MS = 24 * 60 * 60 * 1000;
const embedder = new LocalEmbedder(CONTRACT_DIMENSIONS);

describe.each(Object.keys(NOTES_DEPLOYMENTS))('the notes store contract on %s', (deploymentName) => {
  let deployment: NotesDeployment;
  let now: Date;
  let memory: SemanticMemory;
  let counter = 0;
  const nextId = () => `note_${deploymentName.length}_${Date.now()}_${(counter += 1)}`;

  beforeAll(async () => {
    deployment = await NOTES_DEPLOYMENTS[deploymentName]!();
  });
  afterAll(async () => {
    await deployment?.close();
  });
  beforeEach(() => {
    now = new Date('2026-06-01T12:00:00Z');
    memory = new SemanticMemory(deployment.store, embedder, DEFAULT_MEMORY_SETTINGS, () => now, nextId);
  });

  /** A user of its own per test, so tests do not see each other's notes. */
  const freshUser = () => `user_${(counter += 1)}_${Date.now()}`;

  async function embedded(tenantId: string, userId: string, content: string, overrides: Partial<EmbeddedNote> = {}): Promise<EmbeddedNote> {
    const [embedding] = await embedder.embed([content]);
    return {
      id: nextId(), tenantId, userId, runId: null, category: 'general', content, importance: 0.5, version: 1,
      supersedesId: null, supersededBy: null, createdAt: now, updatedAt: now, expiresAt: null, deletedAt: null,
      embeddingModel: embedder.model, embedding: embedding!, ...overrides,
    };
  }

  it('finds the nearest notes of a user, most similar first', async () => {
    const userId = freshUser();
    const { a } = deployment.tenants;
    for (const content of ['The user prefers pnpm over npm.', 'The staging database is PostgreSQL 15.', 'Tests run with jest in CI.']) {
      await deployment.store.insert(await embedded(a, userId, content));
    }
    const [query] = await embedder.embed(['which package manager does the user prefer, pnpm or npm?']);
    const found = await deployment.store.search({ tenantId: a, userId, now }, query!, embedder.model, 3);
    expect(found.map((hit) => hit.note.content)[0]).toBe('The user prefers pnpm over npm.');
    expect(found[0]!.similarity).toBeGreaterThan(found[1]!.similarity);
    expect(found[0]!.similarity).toBeLessThanOrEqual(1.0001);
  });

  it('never returns one tenant\'s notes to another, by search, list, get or delete', async () => {
    const userId = freshUser();
    const { a, b } = deployment.tenants;
    const secret = await embedded(a, userId, 'The deploy key of tenant A lives in vault path secret/a.');
    await deployment.store.insert(secret);
    const [query] = await embedder.embed([secret.content]);
    expect(await deployment.store.search({ tenantId: b, userId, now }, query!, embedder.model, 20)).toEqual([]);
    expect(await deployment.store.search({ tenantId: b, now }, query!, embedder.model, 20)).toEqual([]);
    expect(await deployment.store.list({ tenantId: b, now }, 100)).toEqual([]);
    expect(await deployment.store.get(b, secret.id)).toBeUndefined();
    expect(await deployment.store.markDeleted(b, secret.id, now)).toBe(false);
    expect((await deployment.store.get(a, secret.id))?.deletedAt).toBeNull();
    expect((await memory.search({ tenantId: b, query: secret.content, limit: 5 }))).toEqual([]);
  });

  it('merges a near-duplicate into a new version and keeps both, linked', async () => {
    const userId = freshUser();
    const { a } = deployment.tenants;
    const first = await memory.record({ tenantId: a, userId, content: 'The user prefers dark mode in the editor.', category: 'user_preference' });
    expect(first).toMatchObject({ action: 'inserted', note: { version: 1, importance: 0.9 } });
    now = new Date(now.getTime() + DAY_MS);
    const second = await memory.record({ tenantId: a, userId, content: 'The user prefers dark mode in the code editor.', category: 'general', importance: 0.4 });
    expect(second.action).toBe('superseded');
    expect(second.similarity).toBeGreaterThanOrEqual(0.9);
    // The merged version keeps the higher importance and the new timestamps.
    expect(second.note).toMatchObject({ version: 2, supersedesId: first.note.id, importance: 0.9, createdAt: now });
    const old = await deployment.store.get(a, first.note.id);
    expect(old).toMatchObject({ content: 'The user prefers dark mode in the editor.', supersededBy: second.note.id, deletedAt: null });

    const latest = await memory.search({ tenantId: a, userId, query: 'dark mode editor', limit: 5 });
    expect(latest.map((hit) => hit.note.id)).toEqual([second.note.id]);
    const history = await memory.search({ tenantId: a, userId, query: 'dark mode editor', limit: 5, includeHistory: true });
    expect(history.map((hit) => hit.note.id).sort()).toEqual([first.note.id, second.note.id].sort());
  });

  it('lets a contradicting fact supersede the old one without deleting it', async () => {
    const userId = freshUser();
    const { a } = deployment.tenants;
    const old = await memory.record({ tenantId: a, userId, content: 'The staging database is PostgreSQL 15.', category: 'project_info' });
    // Close enough in wording: superseded by similarity.
    const corrected = await memory.record({ tenantId: a, userId, content: 'The staging database is PostgreSQL 16.', category: 'project_info' });
    expect(corrected).toMatchObject({ action: 'superseded', superseded: { id: old.note.id } });
    // Different wording: superseded because the caller names the note it corrects.
    const moved = await memory.record({ tenantId: a, userId, content: 'Staging now runs on a managed Aurora cluster.', category: 'project_info', supersedesId: corrected.note.id });
    expect(moved).toMatchObject({ action: 'superseded', note: { version: 3, supersedesId: corrected.note.id } });

    const versions = await memory.list({ tenantId: a, userId, includeHistory: true }, 10);
    expect(versions.map((note) => note.content).sort()).toEqual([
      'Staging now runs on a managed Aurora cluster.', 'The staging database is PostgreSQL 15.', 'The staging database is PostgreSQL 16.',
    ]);
    expect((await memory.list({ tenantId: a, userId }, 10)).map((note) => note.id)).toEqual([moved.note.id]);
    await expect(memory.record({ tenantId: a, userId, content: 'Staging is on Postgres 14.', supersedesId: old.note.id })).rejects.toThrow(NoteSupersededError);
    // Another user of the tenant cannot correct this user's note.
    await expect(memory.record({ tenantId: a, userId: freshUser(), content: 'Staging is gone.', supersedesId: moved.note.id })).rejects.toThrow(NoteNotFoundError);
  });

  it('refuses to supersede a note that another write superseded first', async () => {
    const userId = freshUser();
    const { a } = deployment.tenants;
    const original = await embedded(a, userId, 'The build uses Node 22.');
    await deployment.store.insert(original);
    await deployment.store.insert(await embedded(a, userId, 'The build uses Node 24.', { version: 2, supersedesId: original.id }), original.id);
    const late = await embedded(a, userId, 'The build uses Node 20.', { version: 2, supersedesId: original.id });
    await expect(deployment.store.insert(late, original.id)).rejects.toThrow(NoteSupersededError);
  });

  it('filters by user and category, and skips expired notes unless history is asked for', async () => {
    const userId = freshUser();
    const other = freshUser();
    const { a } = deployment.tenants;
    await memory.record({ tenantId: a, userId, content: 'Use conventional commits in this repository.', category: 'project_info' });
    await memory.record({ tenantId: a, userId: other, content: 'Use conventional commits in this repository, always.', category: 'project_info' });
    await memory.record({ tenantId: a, userId, content: 'Commit messages are in English.', category: 'user_preference' });
    await memory.record({ tenantId: a, userId, content: 'The commit freeze ends on Friday.', category: 'temp_info', expiresAt: new Date(now.getTime() + DAY_MS) });

    const mine = await memory.search({ tenantId: a, userId, query: 'commits', limit: 10 });
    expect(mine.map((hit) => hit.note.userId)).toEqual([userId, userId, userId]);
    const preferences = await memory.search({ tenantId: a, userId, category: 'user_preference', query: 'commits', limit: 10 });
    expect(preferences.map((hit) => hit.note.content)).toEqual(['Commit messages are in English.']);

    now = new Date(now.getTime() + 2 * DAY_MS);
    const later = await memory.search({ tenantId: a, userId, query: 'commit freeze', limit: 10 });
    expect(later.map((hit) => hit.note.content)).not.toContain('The commit freeze ends on Friday.');
    const history = await memory.search({ tenantId: a, userId, query: 'commit freeze', limit: 10, includeHistory: true });
    expect(history.map((hit) => hit.note.content)).toContain('The commit freeze ends on Friday.');
  });

  it('lists newest first', async () => {
    const userId = freshUser();
    const { a } = deployment.tenants;
    for (const [offset, content] of ['first fact about alpha', 'second fact about beta', 'third fact about gamma'].entries()) {
      now = new Date(Date.parse('2026-06-01T12:00:00Z') + offset * 1000);
      await memory.record({ tenantId: a, userId, content });
    }
    expect((await memory.list({ tenantId: a, userId }, 2)).map((note) => note.content)).toEqual(['third fact about gamma', 'second fact about beta']);
  });

  it('deletes a fact with its earlier versions: kept for audit, never recalled', async () => {
    const userId = freshUser();
    const { a } = deployment.tenants;
    const first = await memory.record({ tenantId: a, userId, content: 'The user wants weekly summaries on Monday.' });
    const second = await memory.record({ tenantId: a, userId, content: 'The user wants weekly summaries on Monday morning.' });
    expect(second.action).toBe('superseded');
    const deleted = await memory.delete(a, second.note.id);
    expect(deleted.map((note) => note.id)).toEqual([second.note.id, first.note.id]);
    expect(await memory.search({ tenantId: a, userId, query: 'weekly summaries', limit: 5, includeHistory: true })).toEqual([]);
    expect((await deployment.store.get(a, first.note.id))?.deletedAt).toEqual(now);
    expect(await memory.delete(a, second.note.id)).toEqual([]);
  });

  it('returns the existing note when a write with a fixed id is repeated', async () => {
    const userId = freshUser();
    const { a } = deployment.tenants;
    const id = nextId();
    const first = await memory.record({ tenantId: a, userId, content: 'The API is versioned under /v1.', id });
    const again = await memory.record({ tenantId: a, userId, content: 'The API is versioned under /v1.', id });
    expect(again).toMatchObject({ action: 'existing', note: { id: first.note.id } });
    expect((await memory.list({ tenantId: a, userId, includeHistory: true }, 10)).length).toBe(1);
  });

  it('says whether a tenant has notes', async () => {
    expect(await deployment.store.hasNotes(deployment.tenants.a)).toBe(true);
    expect(await deployment.store.hasNotes(`${deployment.tenants.b}_none`)).toBe(false);
    // The Pinecone adapter went through the SDK over HTTP to every data-plane endpoint it uses.
    if (deployment.emulator) {
      expect(new Set(deployment.emulator.requests)).toEqual(new Set(['/vectors/upsert', '/query', '/vectors/fetch', '/vectors/update', '/vectors/fetch_by_metadata', '/describe_index_stats']));
    }
  });
});
