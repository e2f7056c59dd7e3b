import { recallNotesTool, recordNoteTool } from '../../../tools';
import { createContext, createSandbox, MemoryNotes, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());

describe('note tools', () => {
  it('records a note through the notes port and recalls it by a word in it', async () => {
    const notes = new MemoryNotes();
    const context = createContext(sandbox, { notes });
    const recorded = await recordNoteTool.run({ content: 'The user prefers pnpm over npm.', category: 'preference', importance: 0.9 }, context);
    expect(recorded).toMatchObject({ isError: false, output: 'Recorded note note_1 (preference).' });
    expect(notes.notes[0]).toMatchObject({ content: 'The user prefers pnpm over npm.', importance: 0.9 });

    const recalled = await recallNotesTool.run({ query: 'pnpm' }, context);
    expect(recalled.output).toBe('- [note_1, preference, importance 0.9, 1970-01-01T00:00:00.000Z] The user prefers pnpm over npm.');
    expect(recalled.metadata).toMatchObject({ count: 1, noteIds: ['note_1'] });
  });

  it('says when no note matches', async () => {
    const result = await recallNotesTool.run({ query: 'anything' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: false, output: 'No notes match "anything".' });
  });

  it('passes the run scope to the notes port', async () => {
    const scopes: unknown[] = [];
    const notes = new MemoryNotes();
    const spying = {
      record: (scope: { tenantId: string }, note: Parameters<MemoryNotes['record']>[1]) => (scopes.push(scope), notes.record(scope, note)),
      recall: (scope: { tenantId: string }, query: string, limit: number) => (scopes.push({ ...scope, limit }), notes.recall(scope, query, limit)),
    };
    const context = createContext(sandbox, { notes: spying, userId: 'user_1' });
    await recordNoteTool.run({ content: 'x' }, context);
    await recallNotesTool.run({ query: 'x' }, context);
    expect(scopes).toEqual([
      { tenantId: 'tenant_test', userId: 'user_1', runId: 'run_test' },
      { tenantId: 'tenant_test', userId: 'user_1', limit: 5 },
    ]);
  });
});
