// The record_note and recall_notes tools on semantic memory (pgvector on PGlite): a retried call
// writes nothing twice, a repeated fact supersedes the old one, and a bad note id is the model's
// error to fix, not a failed activity.
import { DEFAULT_MEMORY_SETTINGS } from '../../../core/memory';
import { SemanticNotesPort } from '../../../activities/tool-turn/notes-port';
import { LocalEmbedder } from '../../../providers/embeddings';
import { openDatabase, type DatabaseHandle } from '../../../stores/database';
import { applyMigrations } from '../../../stores/migrate';
import { createNotesStore, SemanticMemory } from '../../../stores/notes';
import { TenantsRepository } from '../../../stores/tenants-repository';
import { recallNotesTool, recordNoteTool } from '../../../tools';
import { createContext, createSandbox, type Sandbox } from '../../unit/tools/tool-context';

describe('the note tools on semantic memory', () => {
  let database: DatabaseHandle;
  let memory: SemanticMemory;
  let sandbox: Sandbox;

  beforeAll(async () => {
    database = await openDatabase({ pgliteDir: 'memory://' });
    await applyMigrations(database);
    await new TenantsRepository(database.db).ensureTenant('tenant_test', 'tools');
    const store = await createNotesStore(database.db, { store: 'pgvector', dimensions: 384, databaseKind: 'pglite' }, { info: () => undefined, warn: () => undefined });
    memory = new SemanticMemory(store, new LocalEmbedder(384), DEFAULT_MEMORY_SETTINGS);
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.cleanup();
    await database?.close();
  });

  const context = (callId: string, userId = 'user_tools') => createContext(sandbox, { notes: new SemanticNotesPort(memory), userId, callId });

  it('writes a retried call\'s note once and supersedes a repeated fact', async () => {
    const first = await recordNoteTool.run({ content: 'The user wants answers in British English.', category: 'user_preference' }, context('call_a'));
    const retried = await recordNoteTool.run({ content: 'The user wants answers in British English.', category: 'user_preference' }, context('call_a'));
    expect(first.isError).toBe(false);
    expect(retried.metadata?.noteId).toBe(first.metadata?.noteId);

    const repeated = await recordNoteTool.run({ content: 'The user wants answers in British English!' }, context('call_b'));
    expect(repeated.output).toContain(`superseding ${String(first.metadata?.noteId)} (version 2)`);

    const recalled = await recallNotesTool.run({ query: 'which English should answers use?' }, context('call_c'));
    expect(recalled.metadata).toMatchObject({ count: 1, noteIds: [repeated.metadata?.noteId] });
    expect(recalled.output).toContain('importance 0.9');
    // Another user of the tenant recalls none of it.
    expect((await recallNotesTool.run({ query: 'British English' }, context('call_d', 'user_other'))).metadata).toMatchObject({ count: 0 });
  });

  it('answers an unknown note to supersede with a tool error the model can act on', async () => {
    const result = await recordNoteTool.run({ content: 'Tabs, not spaces.', supersedes: 'note_missing' }, context('call_e'));
    expect(result).toMatchObject({ isError: true, output: expect.stringContaining('no note note_missing') });
  });
});
