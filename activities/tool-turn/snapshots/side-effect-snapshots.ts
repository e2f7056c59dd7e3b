// Keeps the snapshot taken before each checked tool call in the run's jobs folder (outside the
// workspace), with the decision taken after it, so a retried call reuses both instead of
// snapshotting a workspace the first attempt already changed; and rolls changes back from it.
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, lstat, mkdir, readFile, realpath, rename, rm, rmdir, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { comparePaths, workspaceSnapshotSchema, type RollbackOutcome, type WorkspaceSnapshot } from '../../../core/side-effects';
import { SIDE_EFFECT_ACTIONS } from '../../../core/run-policy';
import { BlobStore } from './blob-store';
import { takeSnapshot, type SnapshotLimits } from './take-snapshot';

/** Folder of the run's jobs folder that holds manifests and blobs. */
export const SIDE_EFFECTS_FOLDER = 'side-effects';
const BEFORE_SUFFIX = '.before.json';
const OUTCOME_SUFFIX = '.outcome.json';
/** Workspaces whose last snapshot this process remembers. */
const REMEMBERED_WORKSPACES = 1000;

export const snapshotManifestSchema = z.object({
  workspace: z.string(),
  blobFolder: z.string(),
  takenAt: z.number(),
  snapshot: workspaceSnapshotSchema,
  unrestorable: z.array(z.string()),
});
export type SnapshotManifest = z.infer<typeof snapshotManifestSchema>;

const changesSchema = z.object({ created: z.array(z.string()), modified: z.array(z.string()), deleted: z.array(z.string()) });
const rollbackOutcomeSchema = z.object({
  restored: z.array(z.string()),
  removed: z.array(z.string()),
  failed: z.array(z.object({ path: z.string(), reason: z.string() })),
});
const outcomeSchema = z.object({
  action: z.enum(['none', ...SIDE_EFFECT_ACTIONS]),
  unexpected: changesSchema,
  snapshotTruncated: z.boolean(),
  /** Why the policy's rollback became a report (background jobs were running). */
  rollbackSkipped: z.string().optional(),
  unrestorable: z.array(z.string()),
  /** Present once a rollback has been carried out. */
  rollback: rollbackOutcomeSchema.optional(),
});
export type SideEffectOutcome = z.infer<typeof outcomeSchema>;

export type CallSnapshot = { ref: string; manifest: SnapshotManifest };

/** Thrown when a snapshot reference does not name a readable snapshot manifest. */
export class SnapshotNotFoundError extends Error {
  constructor(readonly snapshotRef: string, reason: string) {
    super(`no side-effect snapshot at ${snapshotRef}: ${reason}`);
    this.name = 'SnapshotNotFoundError';
  }
}

/** One per worker: remembers each workspace's last snapshot so unchanged files are not read again. */
export class SideEffectSnapshots {
  private readonly last = new Map<string, WorkspaceSnapshot>();
  private readonly stores = new Map<string, BlobStore>();

  constructor(private readonly limits?: SnapshotLimits) {}

  /** The snapshot before call `key`: the one an earlier attempt kept, or a new one (content kept first, then the manifest). */
  async before(workspace: string, jobsDir: string, key: string): Promise<CallSnapshot> {
    const ref = path.join(jobsDir, SIDE_EFFECTS_FOLDER, `${key}${BEFORE_SUFFIX}`);
    const kept = await readManifest(ref).catch(() => undefined);
    if (kept) return { ref, manifest: kept };
    const store = this.storeFor(path.join(jobsDir, SIDE_EFFECTS_FOLDER, 'blobs'));
    const { snapshot, unrestorable } = await takeSnapshot(workspace, { previous: this.last.get(workspace), store, limits: this.limits });
    const manifest: SnapshotManifest = { workspace, blobFolder: store.folder, takenAt: Date.now(), snapshot, unrestorable };
    await writeJsonAtomically(ref, manifest);
    this.remember(workspace, snapshot);
    return { ref, manifest };
  }

  /** The snapshot after the call, reusing the before snapshot's hashes for files it did not touch. */
  async after(before: CallSnapshot): Promise<WorkspaceSnapshot> {
    const { snapshot } = await takeSnapshot(before.manifest.workspace, { previous: before.manifest.snapshot, limits: this.limits });
    this.remember(before.manifest.workspace, snapshot);
    return snapshot;
  }

  /** The workspace changed behind the last snapshot's back (a rollback): the next one starts from the kept manifest. */
  forget(workspace: string): void {
    this.last.delete(workspace);
  }

  readOutcome(before: CallSnapshot): Promise<SideEffectOutcome | undefined> {
    return readOutcomeFile(before.ref);
  }

  async writeOutcome(before: CallSnapshot, outcome: SideEffectOutcome): Promise<void> {
    await writeJsonAtomically(outcomeFile(before.ref), outcome);
  }

  /** Drops the manifest once nothing can need it (not under review); the small outcome file stays for retries. */
  async release(before: CallSnapshot): Promise<void> {
    await unlink(before.ref).catch(() => undefined);
  }

  /** The last snapshot this worker took of `workspace` (unchanged files reuse its hashes). */
  lastOf(workspace: string): WorkspaceSnapshot | undefined {
    return this.last.get(workspace);
  }

  /** The run's blob folder (shared by its call and step snapshots). */
  blobsFor(jobsDir: string): BlobStore {
    return this.storeFor(path.join(jobsDir, SIDE_EFFECTS_FOLDER, 'blobs'));
  }

  private storeFor(folder: string): BlobStore {
    let store = this.stores.get(folder);
    if (!store) {
      if (this.stores.size >= REMEMBERED_WORKSPACES) this.stores.clear();
      store = new BlobStore(folder);
      this.stores.set(folder, store);
    }
    return store;
  }

  remember(workspace: string, snapshot: WorkspaceSnapshot): void {
    this.last.delete(workspace);
    if (this.last.size >= REMEMBERED_WORKSPACES) this.last.delete(this.last.keys().next().value as string);
    this.last.set(workspace, snapshot);
  }
}

const outcomeFile = (ref: string) => `${ref.slice(0, -BEFORE_SUFFIX.length)}${OUTCOME_SUFFIX}`;

async function readOutcomeFile(ref: string): Promise<SideEffectOutcome | undefined> {
  const text = await readFile(outcomeFile(ref), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = outcomeSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // a torn write cannot happen (rename), but a hand-edited file can
  }
}

async function readManifest(ref: string): Promise<SnapshotManifest> {
  if (!path.isAbsolute(ref) || !ref.endsWith(BEFORE_SUFFIX) || path.basename(path.dirname(ref)) !== SIDE_EFFECTS_FOLDER) {
    throw new SnapshotNotFoundError(ref, 'not a side-effect snapshot reference');
  }
  let text: string;
  try {
    text = await readFile(ref, 'utf8');
  } catch (error) {
    throw new SnapshotNotFoundError(ref, (error as Error).message);
  }
  let parsed: ReturnType<typeof snapshotManifestSchema.safeParse>;
  try {
    parsed = snapshotManifestSchema.safeParse(JSON.parse(text));
  } catch {
    throw new SnapshotNotFoundError(ref, 'the manifest is not JSON');
  }
  if (!parsed.success) throw new SnapshotNotFoundError(ref, 'the manifest is malformed');
  return parsed.data;
}

/** Written beside the target and renamed: a crash leaves the old file or the new one. */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(value));
  await rename(temporary, file);
}

/**
 * Puts `paths` back as the snapshot `snapshotRef` saw them: paths it had are restored (folders
 * recreated, files copied back from kept content, symlinks relinked), paths it did not have are
 * removed. Idempotent, so a retried rollback is harmless. Paths are workspace-relative, as
 * `metadata.sideEffects` lists them; without `paths`, every unexpected change the check recorded
 * for that call (the full lists, which metadata caps). Anything that cannot be put back is in `failed`.
 */
export async function rollbackSideEffects(snapshotRef: string, paths?: readonly string[]): Promise<RollbackOutcome> {
  const manifest = await readManifest(snapshotRef);
  if (paths === undefined) {
    const recorded = await readOutcomeFile(snapshotRef);
    if (!recorded) throw new SnapshotNotFoundError(snapshotRef, 'no recorded decision lists its changes; pass the paths');
    paths = [...recorded.unexpected.created, ...recorded.unexpected.modified, ...recorded.unexpected.deleted];
  }
  const workspace = manifest.workspace;
  const blobs = new BlobStore(manifest.blobFolder);
  const outcome: RollbackOutcome = { restored: [], removed: [], failed: [] };
  const safe = [...new Set(paths)].filter((item) => {
    const valid = item !== '' && !path.posix.isAbsolute(item) && !item.split('/').some((segment) => segment === '..' || segment === '.' || segment === '');
    if (!valid) outcome.failed.push({ path: item, reason: 'not a workspace-relative path' });
    return valid;
  });
  const present = safe.filter((item) => manifest.snapshot.entries[item] !== undefined).sort(comparePaths);
  const absent = safe.filter((item) => manifest.snapshot.entries[item] === undefined).sort(comparePaths).reverse();

  // Created paths go first, deepest first, so a folder is empty when its turn comes.
  for (const item of absent) {
    const target = path.join(workspace, item);
    try {
      const stats = await lstat(target).catch(() => undefined);
      if (stats?.isDirectory()) await rmdir(target);
      else if (stats) await unlink(target);
      outcome.removed.push(item);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      outcome.failed.push({ path: item, reason: code === 'ENOTEMPTY' ? 'the folder still holds paths the call named' : (error as Error).message });
    }
  }
  // Then what existed, parents before children.
  for (const item of present) {
    const entry = manifest.snapshot.entries[item];
    if (!entry) continue;
    const target = path.join(workspace, item);
    try {
      if (!(await insideWorkspace(workspace, path.dirname(target)))) throw new Error('its folder now leads outside the workspace');
      const current = await lstat(target).catch(() => undefined);
      if (entry.type === 'directory') {
        if (current && !current.isDirectory()) await rm(target, { recursive: true, force: true });
        await mkdir(target, { recursive: true });
        await chmod(target, entry.mode);
      } else if (entry.type === 'symlink') {
        await rm(target, { recursive: true, force: true });
        await symlink(entry.hash ?? '', target);
      } else {
        if (entry.hash === undefined || !(await blobs.has(entry.hash))) {
          throw new Error(manifest.unrestorable.includes(item) ? 'its content was over the snapshot size cap and was not kept' : 'its kept content is missing');
        }
        const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.restore`);
        await mkdir(path.dirname(target), { recursive: true });
        await copyFile(blobs.file(entry.hash), temporary);
        await chmod(temporary, entry.mode);
        if (current?.isDirectory()) await rm(target, { recursive: true, force: true });
        await rename(temporary, target);
        // The old mtime back, so the next snapshot recognises the file without reading it.
        await utimes(target, new Date(), new Date(entry.mtimeMs));
      }
      outcome.restored.push(item);
    } catch (error) {
      outcome.failed.push({ path: item, reason: (error as Error).message });
    }
  }
  return outcome;
}

async function insideWorkspace(workspace: string, folder: string): Promise<boolean> {
  // A folder that does not exist yet is recreated from the snapshot, parents first.
  const real = await realpath(folder).catch(() => undefined);
  if (real === undefined) return true;
  return real === workspace || real.startsWith(`${workspace}/`);
}

