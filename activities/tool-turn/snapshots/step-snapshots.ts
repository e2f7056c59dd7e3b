// The workspace as each step that called a workspace-changing tool left it, kept for forks: a manifest in the run's jobs
// folder (its file contents in the run's blob folder, shared with the call snapshots), and the
// restore of a fork's empty workspace from its parent's manifest. Manifests are content-addressed
// too, so steps that leave the workspace as it was share one file.
import { chmod, copyFile, lstat, mkdir, readFile, rename, rm, stat, symlink, utimes } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { comparePaths, MAX_LISTED_PATHS } from '../../../core/side-effects';
import { BlobStore } from './blob-store';
import { SIDE_EFFECTS_FOLDER, snapshotManifestSchema, writeJsonAtomically, type SideEffectSnapshots, type SnapshotManifest } from './side-effect-snapshots';
import { takeSnapshot } from './take-snapshot';

/** What the step's batch records (stores/schema.ts `step_snapshots`). */
export type StepSnapshotRecord = { step: number; manifestRef: string; entries: number; unrestorable: string[]; truncated: boolean };

/** Thrown when a fork's restore cannot put the parent's workspace back as it was. */
export class WorkspaceRestoreError extends Error {
  constructor(readonly manifestRef: string, reason: string) {
    super(`cannot restore the workspace from ${manifestRef}: ${reason}`);
    this.name = 'WorkspaceRestoreError';
  }
}

/** Where the manifest of a workspace state with this content hash is kept. */
export function stepManifestFile(jobsDir: string, stateHash: string): string {
  return path.join(jobsDir, SIDE_EFFECTS_FOLDER, 'steps', `${stateHash}.json`);
}

/**
 * The workspace after step `step`'s tool calls, with every file's content kept. A state an earlier
 * step (or an earlier attempt of this one) left is not written again: its manifest is reused.
 */
export async function takeStepSnapshot(snapshots: SideEffectSnapshots, folders: { workspace: string; jobsDir: string }, step: number): Promise<StepSnapshotRecord> {
  const store = snapshots.blobsFor(folders.jobsDir);
  const { snapshot, unrestorable } = await takeSnapshot(folders.workspace, { previous: snapshots.lastOf(folders.workspace), store });
  snapshots.remember(folders.workspace, snapshot);
  const state = { workspace: folders.workspace, blobFolder: store.folder, snapshot, unrestorable };
  const manifestRef = stepManifestFile(folders.jobsDir, createHash('sha256').update(JSON.stringify(state)).digest('hex'));
  // Its content hash names it: a file already there holds this very state.
  const kept = await stat(manifestRef).then(() => true, () => false);
  if (!kept) await writeJsonAtomically(manifestRef, { ...state, takenAt: Date.now() } satisfies SnapshotManifest);
  return {
    step,
    manifestRef,
    entries: Object.keys(snapshot.entries).length,
    unrestorable: unrestorable.slice(0, MAX_LISTED_PATHS),
    truncated: snapshot.truncatedAfter !== undefined,
  };
}

export async function readStepManifest(manifestRef: string): Promise<SnapshotManifest> {
  let text: string;
  try {
    text = await readFile(manifestRef, 'utf8');
  } catch (error) {
    throw new WorkspaceRestoreError(manifestRef, `the step's manifest cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed;
  try {
    parsed = snapshotManifestSchema.safeParse(JSON.parse(text));
  } catch {
    throw new WorkspaceRestoreError(manifestRef, 'the manifest is not JSON');
  }
  if (!parsed.success) throw new WorkspaceRestoreError(manifestRef, 'the manifest is malformed');
  return parsed.data;
}

/**
 * Puts every entry of the manifest into `workspace` (the fork's, empty or half-restored by an
 * earlier attempt): folders first, then files from kept content with their modes and mtimes, and
 * symlinks as they pointed. Idempotent; returns how many entries it restored.
 */
export async function restoreWorkspace(manifestRef: string, workspace: string): Promise<{ restored: number }> {
  const manifest = await readStepManifest(manifestRef);
  if (manifest.snapshot.truncatedAfter !== undefined) throw new WorkspaceRestoreError(manifestRef, `the snapshot stopped at its entry cap after ${manifest.snapshot.truncatedAfter}`);
  if (manifest.unrestorable.length > 0) throw new WorkspaceRestoreError(manifestRef, `content not kept for ${manifest.unrestorable.slice(0, 5).join(', ')}`);
  const blobs = new BlobStore(manifest.blobFolder);
  const paths = Object.keys(manifest.snapshot.entries).sort(comparePaths);
  for (const relative of paths) {
    const entry = manifest.snapshot.entries[relative];
    if (!entry) continue;
    if (relative === '' || path.posix.isAbsolute(relative) || relative.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) {
      throw new WorkspaceRestoreError(manifestRef, `${JSON.stringify(relative)} is not a workspace-relative path`);
    }
    const target = path.join(workspace, relative);
    if (entry.type === 'directory') {
      await mkdir(target, { recursive: true });
    } else if (entry.type === 'symlink') {
      await rm(target, { force: true });
      await symlink(entry.hash ?? '', target);
    } else {
      if (entry.hash === undefined || !(await blobs.has(entry.hash))) throw new WorkspaceRestoreError(manifestRef, `the kept content of ${relative} is missing`);
      const current = await lstat(target).catch(() => undefined);
      if (current?.isDirectory()) await rm(target, { recursive: true, force: true });
      const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.restore`);
      await copyFile(blobs.file(entry.hash), temporary);
      await chmod(temporary, entry.mode);
      await rename(temporary, target);
      await utimes(target, new Date(), new Date(entry.mtimeMs));
    }
  }
  // Folder modes last, deepest first: a read-only folder still took its children.
  for (const relative of [...paths].reverse()) {
    const entry = manifest.snapshot.entries[relative];
    if (entry?.type === 'directory') await chmod(path.join(workspace, relative), entry.mode);
  }
  return { restored: paths.length };
}
