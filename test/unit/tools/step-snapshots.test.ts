// Step snapshots on a real workspace: the workspace a step left is kept (manifest and contents) and
// put back into another, empty workspace as it was, even after the first one moved on; steps that
// leave the same state share one manifest, and a snapshot that did not keep everything is refused by name.
import { chmod, mkdir, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SideEffectSnapshots } from '../../../activities/tool-turn/snapshots/side-effect-snapshots';
import { restoreWorkspace, stepManifestFile, takeStepSnapshot, WorkspaceRestoreError } from '../../../activities/tool-turn/snapshots/step-snapshots';
import { createSandbox, type Sandbox } from './tool-context';

let parent: Sandbox;
let fork: Sandbox;
beforeEach(async () => {
  parent = await createSandbox();
  fork = await createSandbox();
});
afterEach(async () => {
  await parent.cleanup();
  await fork.cleanup();
});

const write = async (root: string, relative: string, content: string) => {
  await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
  await writeFile(path.join(root, relative), content);
};

describe('step snapshots', () => {
  it("restores a step's files, folders, modes and symlinks into an empty workspace after the original changed", async () => {
    const snapshots = new SideEffectSnapshots();
    await write(parent.workspace, 'notes.txt', 'version 2\n');
    await write(parent.workspace, 'src/deep/app.ts', 'export const two = 2;\n');
    await write(parent.workspace, 'run.sh', '#!/bin/sh\necho hi\n');
    await chmod(path.join(parent.workspace, 'run.sh'), 0o755);
    await symlink('notes.txt', path.join(parent.workspace, 'latest'));
    const record = await takeStepSnapshot(snapshots, parent, 2);
    const notesMtime = (await stat(path.join(parent.workspace, 'notes.txt'))).mtimeMs;
    expect(record).toEqual({ step: 2, manifestRef: expect.stringMatching(/\/side-effects\/steps\/[0-9a-f]{64}\.json$/), entries: 6, unrestorable: [], truncated: false });

    // Step 3 moves on: a changed file, a deleted one, a new one.
    await write(parent.workspace, 'notes.txt', 'version 3\n');
    await rm(path.join(parent.workspace, 'src', 'deep', 'app.ts'));
    await write(parent.workspace, 'three.txt', 'three\n');
    await takeStepSnapshot(snapshots, parent, 3);

    expect(await restoreWorkspace(record.manifestRef, fork.workspace)).toEqual({ restored: 6 });
    expect(await readFile(path.join(fork.workspace, 'notes.txt'), 'utf8')).toBe('version 2\n');
    expect(await readFile(path.join(fork.workspace, 'src/deep/app.ts'), 'utf8')).toBe('export const two = 2;\n');
    expect((await stat(path.join(fork.workspace, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readlink(path.join(fork.workspace, 'latest'))).toBe('notes.txt');
    await expect(stat(path.join(fork.workspace, 'three.txt'))).rejects.toThrow();
    // The mtime comes back too, so the fork's next snapshot recognises the file without reading it.
    expect(Math.abs((await stat(path.join(fork.workspace, 'notes.txt'))).mtimeMs - notesMtime)).toBeLessThan(1);

    // Idempotent: a retried restore over its own first attempt gives the same workspace.
    expect(await restoreWorkspace(record.manifestRef, fork.workspace)).toEqual({ restored: 6 });
    expect(await readFile(path.join(fork.workspace, 'notes.txt'), 'utf8')).toBe('version 2\n');
  });

  it('shares one manifest between steps that leave the workspace as it was, and writes a new one for a change', async () => {
    const snapshots = new SideEffectSnapshots();
    await write(parent.workspace, 'notes.txt', 'as step 1 left it\n');
    const first = await takeStepSnapshot(snapshots, parent, 1);
    // Step 2 only read; a retry on another worker (no remembered snapshot) sees the same state.
    expect(await takeStepSnapshot(snapshots, parent, 2)).toEqual({ ...first, step: 2 });
    expect(await takeStepSnapshot(new SideEffectSnapshots(), parent, 2)).toEqual({ ...first, step: 2 });
    expect(await readdir(path.join(parent.jobsDir, 'side-effects', 'steps'))).toHaveLength(1);
    await write(parent.workspace, 'notes.txt', 'changed by step 3\n');
    const third = await takeStepSnapshot(snapshots, parent, 3);
    expect(third.manifestRef).not.toBe(first.manifestRef);
    await restoreWorkspace(first.manifestRef, fork.workspace);
    expect(await readFile(path.join(fork.workspace, 'notes.txt'), 'utf8')).toBe('as step 1 left it\n');
  });

  it('refuses to restore a snapshot whose content was not kept, naming the file', async () => {
    const snapshots = new SideEffectSnapshots();
    await write(parent.workspace, 'small.txt', 'kept\n');
    await writeFile(path.join(parent.workspace, 'big.bin'), Buffer.alloc(9 * 1024 ** 2, 1));
    const record = await takeStepSnapshot(snapshots, parent, 1);
    expect(record.unrestorable).toEqual(['big.bin']);
    await expect(restoreWorkspace(record.manifestRef, fork.workspace)).rejects.toThrow(WorkspaceRestoreError);
    await expect(restoreWorkspace(record.manifestRef, fork.workspace)).rejects.toThrow(/big\.bin/);
  });

  it('refuses a manifest that is missing or whose kept content is gone', async () => {
    await expect(restoreWorkspace(stepManifestFile(parent.jobsDir, 'f'.repeat(64)), fork.workspace)).rejects.toThrow(/manifest cannot be read \(ENOENT\)/);
    const snapshots = new SideEffectSnapshots();
    await write(parent.workspace, 'notes.txt', 'kept\n');
    const record = await takeStepSnapshot(snapshots, parent, 1);
    await rm(path.join(parent.jobsDir, 'side-effects', 'blobs'), { recursive: true });
    await expect(restoreWorkspace(record.manifestRef, fork.workspace)).rejects.toThrow(/kept content of notes\.txt is missing/);
  });
});
