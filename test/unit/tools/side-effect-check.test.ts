// The side-effect check around real tool calls on a real workspace: a bash call that also changes
// paths it did not name is reported, rolled back or kept for review, by policy; retries reuse the
// first attempt's snapshot and decision.
import { chmod, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runWithSideEffectCheck, type SideEffectCheckInput } from '../../../activities/tool-turn/side-effect-check';
import type { SideEffectAction } from '../../../core/run-policy';
import { sideEffectsMetadataSchema } from '../../../core/side-effects';
import { createToolRegistry, runTool } from '../../../tools';
import { rollbackSideEffects, SideEffectSnapshots, SnapshotNotFoundError } from '../../../activities/tool-turn/snapshots/side-effect-snapshots';
import { createContext, createSandbox, nextCallId, type Sandbox } from './tool-context';

let folders: Sandbox;
let snapshots: SideEffectSnapshots;
beforeEach(async () => {
  folders = await createSandbox();
  snapshots = new SideEffectSnapshots();
  await writeFile(path.join(folders.workspace, 'notes.txt'), 'precious notes\n');
  await writeFile(path.join(folders.workspace, 'named.txt'), 'old\n');
  await mkdir(path.join(folders.workspace, 'src'));
  await writeFile(path.join(folders.workspace, 'src', 'app.ts'), 'export {};\n');
  // Programs whose effects their command line does not show.
  await writeFile(path.join(folders.workspace, 'cleanup.sh'), 'rm notes.txt\necho junk > junk.tmp\n');
  await writeFile(path.join(folders.workspace, 'scribble.sh'), 'echo scribbled > notes.txt\nmkdir -p hidden/deep && touch hidden/deep/x\n');
});
afterEach(async () => folders.cleanup());

const registry = createToolRegistry();
// Changes the file it names, and (through the script) deletes one and creates one it does not name.
const SNEAKY = 'echo new > named.txt; bash cleanup.sh';

async function call(toolName: string, args: Record<string, unknown>, action: SideEffectAction, key = nextCallId()) {
  const input: SideEffectCheckInput = { toolName, arguments: args, key, step: 1, callId: key, workspace: folders.workspace, jobsDir: folders.jobsDir, action };
  return runWithSideEffectCheck(snapshots, input, () => runTool(registry, toolName, args, createContext(folders, { callId: key })));
}

const read = (name: string) => readFile(path.join(folders.workspace, name), 'utf8');
const exists = (name: string) => stat(path.join(folders.workspace, name)).then(() => true, () => false);

describe('the side-effect check', () => {
  it('rolls back an unnamed delete and an unnamed create, keeps the named change, and tells the model', async () => {
    const { result, events } = await call('bash', { command: SNEAKY }, 'rollback');
    expect(await read('notes.txt')).toBe('precious notes\n');
    expect(await exists('junk.tmp')).toBe(false);
    expect(await read('named.txt')).toBe('new\n');
    expect(result.metadata?.sideEffects).toMatchObject({
      action: 'rollback',
      created: ['junk.tmp'],
      modified: [],
      deleted: ['notes.txt'],
      rollback: { restored: ['notes.txt'], removed: ['junk.tmp'], failed: [] },
    });
    expect(result.output).toMatch(/^\(no output\)\n\nExit code: 0\n\nKeel rolled back workspace changes this bash call made/u);
    expect(events.map((event) => event.type)).toEqual(['side-effects.detected', 'side-effects.rolled-back']);
    expect(events[0]?.data).toMatchObject({ toolName: 'bash', created: ['junk.tmp'], deleted: ['notes.txt'], modified: [], action: 'rollback' });
  });

  it('restores a modified file with its mode and removes created folders', async () => {
    await chmod(path.join(folders.workspace, 'notes.txt'), 0o600);
    const { result } = await call('bash', { command: 'bash scribble.sh' }, 'rollback');
    expect(result.metadata?.sideEffects).toMatchObject({ action: 'rollback', created: ['hidden', 'hidden/deep', 'hidden/deep/x'], modified: ['notes.txt'], deleted: [] });
    expect(await read('notes.txt')).toBe('precious notes\n');
    expect((await stat(path.join(folders.workspace, 'notes.txt'))).mode & 0o777).toBe(0o600);
    expect(await exists('hidden')).toBe(false);
  });

  it('counts run-time words as naming whatever they could stand for', async () => {
    const { result } = await call('bash', { command: 'f=notes; echo scribbled > "$f.txt"' }, 'rollback');
    expect(result.metadata?.sideEffects).toBeUndefined();
    expect(await read('notes.txt')).toBe('scribbled\n');
  });

  it('only reports under policy report', async () => {
    const { result, events } = await call('bash', { command: SNEAKY }, 'report');
    expect(await exists('notes.txt')).toBe(false);
    expect(await exists('junk.tmp')).toBe(true);
    expect(result.output).toBe('(no output)\n\nExit code: 0');
    expect(result.metadata?.sideEffects).toMatchObject({ action: 'report', created: ['junk.tmp'], deleted: ['notes.txt'] });
    expect(events.map((event) => event.type)).toEqual(['side-effects.detected']);
  });

  it('keeps the snapshot under policy review, and rollbackSideEffects restores on rejection', async () => {
    const { result, events } = await call('bash', { command: SNEAKY }, 'review');
    // What the review flow does with a recorded result: validate, show, and on rejection roll back.
    const sideEffects = sideEffectsMetadataSchema.parse(result.metadata?.sideEffects);
    expect(sideEffects).toMatchObject({ action: 'review', created: ['junk.tmp'], modified: [], deleted: ['notes.txt'], snapshotRef: expect.any(String) });
    const snapshotRef = sideEffects.snapshotRef ?? '';
    expect(events[0]?.data).toMatchObject({ snapshotRef });
    expect(await exists('notes.txt')).toBe(false);
    const rolledBack = await rollbackSideEffects(snapshotRef, [...sideEffects.created, ...sideEffects.modified, ...sideEffects.deleted]);
    expect(rolledBack).toEqual({ restored: ['notes.txt'], removed: ['junk.tmp'], failed: [] });
    expect(await read('notes.txt')).toBe('precious notes\n');
    expect(await exists('junk.tmp')).toBe(false);
    expect(await read('named.txt')).toBe('new\n');
    // Rejecting twice is harmless; without paths it takes every recorded change (metadata lists are capped).
    expect(await rollbackSideEffects(snapshotRef)).toEqual({ restored: ['notes.txt'], removed: ['junk.tmp'], failed: [] });
    await expect(rollbackSideEffects(snapshotRef, ['../escape'])).resolves.toMatchObject({ failed: [{ path: '../escape' }] });
    await expect(rollbackSideEffects(path.join(folders.jobsDir, 'side-effects', 'nothing.before.json'))).rejects.toThrow(SnapshotNotFoundError);
  });

  it('finds nothing unexpected in write_file and edit_file calls, and keeps no snapshot afterwards', async () => {
    const written = await call('write_file', { path: 'src/new.ts', content: 'export const x = 1;\n' }, 'rollback');
    const edited = await call('edit_file', { path: 'src/app.ts', old_text: 'export {};', new_text: 'export const y = 2;' }, 'rollback');
    expect(written.result).toMatchObject({ isError: false });
    expect(edited.result).toMatchObject({ isError: false });
    expect(written.result.metadata?.sideEffects).toBeUndefined();
    expect(edited.result.metadata?.sideEffects).toBeUndefined();
    expect(await read('src/new.ts')).toBe('export const x = 1;\n');
    expect((await readdir(path.join(folders.jobsDir, 'side-effects')).catch(() => [])).filter((name) => name.endsWith('.json'))).toEqual([]);
  });

  it('checks a write_file against its own path, so a workspace bigger than a walk does not make the check incomplete', async () => {
    snapshots = new SideEffectSnapshots({ maxEntries: 2, maxFileBytes: 1024, maxStoredBytes: 1024 });
    const bashResult = await call('bash', { command: 'true' }, 'rollback');
    expect(bashResult.result.metadata?.sideEffects).toMatchObject({ snapshotIncomplete: expect.stringMatching(/more entries than a snapshot walks/u) });
    const { result, events } = await call('write_file', { path: 'deep/er/new.txt', content: 'x\n' }, 'rollback');
    expect(result).toMatchObject({ isError: false });
    expect(result.metadata?.sideEffects).toBeUndefined();
    expect(events).toEqual([]);
    expect(await read('deep/er/new.txt')).toBe('x\n');
  });

  it('walks the whole workspace around a write_file while a background job runs, which may change anything', async () => {
    snapshots = new SideEffectSnapshots({ maxEntries: 2, maxFileBytes: 1024, maxStoredBytes: 1024 });
    const server = await call('bash', { command: 'sleep 30', background: true }, 'rollback');
    const { result } = await call('write_file', { path: 'new.txt', content: 'x\n' }, 'rollback');
    expect(result.metadata?.sideEffects).toMatchObject({ snapshotIncomplete: expect.stringMatching(/more entries than a snapshot walks/u) });
    await runTool(registry, 'bash_kill', { job_id: server.result.metadata?.jobId }, createContext(folders));
  });

  it('accepts a write_file through a symlink to another workspace file', async () => {
    await symlink('src/app.ts', path.join(folders.workspace, 'current.ts'));
    const { result } = await call('write_file', { path: 'current.ts', content: 'export const z = 3;\n' }, 'rollback');
    expect(result).toMatchObject({ isError: false });
    expect(result.metadata?.sideEffects).toBeUndefined();
    expect(await read('src/app.ts')).toBe('export const z = 3;\n');
  });

  it('on a retry reuses the first attempt’s snapshot and decision instead of rolling back its own result', async () => {
    const key = nextCallId();
    const first = await call('bash', { command: SNEAKY }, 'rollback', key);
    // The retry (fresh worker memory) adopts the recorded bash job and must report the same thing.
    snapshots = new SideEffectSnapshots();
    const retry = await call('bash', { command: SNEAKY }, 'rollback', key);
    expect(retry.result.output).toBe(first.result.output);
    expect(retry.result.metadata?.sideEffects).toEqual(first.result.metadata?.sideEffects);
    expect(retry.result.metadata).toMatchObject({ provenance: 'recorded' });
    expect(await read('notes.txt')).toBe('precious notes\n');
    expect(await read('named.txt')).toBe('new\n');
  });

  it('after a crash between the tool and the check, the retry checks against the snapshot taken before the first attempt', async () => {
    const key = nextCallId();
    await snapshots.before(folders.workspace, folders.jobsDir, key);
    await runTool(registry, 'bash', { command: SNEAKY }, createContext(folders, { callId: key })); // then the worker died
    snapshots = new SideEffectSnapshots();
    const retry = await call('bash', { command: SNEAKY }, 'rollback', key);
    expect(retry.result.metadata).toMatchObject({ provenance: 'recorded', sideEffects: { created: ['junk.tmp'], deleted: ['notes.txt'] } });
    expect(await read('notes.txt')).toBe('precious notes\n');
    expect(await exists('junk.tmp')).toBe(false);
  });

  it('reports instead of rolling back what may come from a background job that is still running', async () => {
    const server = await call('bash', { command: 'bash -c "sleep 0.5; echo log > server.log; sleep 30"', background: true }, 'rollback');
    expect(server.result).toMatchObject({ isError: false, metadata: { background: true } });
    const { result } = await call('bash', { command: 'sleep 1' }, 'rollback');
    expect(result.metadata?.sideEffects).toMatchObject({ action: 'report', created: ['server.log'], rollbackSkipped: expect.stringMatching(/background jobs were running/u) });
    expect(await exists('server.log')).toBe(true);
    await runTool(registry, 'bash_kill', { job_id: server.result.metadata?.jobId }, createContext(folders));
  });

  it('says when a file was too big to keep for rollback', async () => {
    snapshots = new SideEffectSnapshots({ maxEntries: 1000, maxFileBytes: 4, maxStoredBytes: 1024 });
    const { result } = await call('bash', { command: 'bash cleanup.sh' }, 'rollback');
    expect(result.metadata?.sideEffects).toMatchObject({ rollback: { restored: [], failed: [{ path: 'notes.txt', reason: expect.stringMatching(/over the snapshot size cap/u) }] } });
    expect(result.output).toMatch(/could not roll back notes\.txt/u);
  });

  it('says when the workspace has more entries than a snapshot walks', async () => {
    snapshots = new SideEffectSnapshots({ maxEntries: 2, maxFileBytes: 1024, maxStoredBytes: 1024 });
    const { result } = await call('bash', { command: 'true' }, 'rollback');
    expect(result.metadata?.sideEffects).toMatchObject({ action: 'none', snapshotIncomplete: expect.stringMatching(/not checked/u) });
  });
});
