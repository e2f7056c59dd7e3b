// Compares two snapshots of one workspace: which paths a tool call created, modified or deleted.
import { comparePaths, type SnapshotEntry, type WorkspaceSnapshot } from './workspace-snapshot';

export type WorkspaceChanges = { created: string[]; modified: string[]; deleted: string[] };

export const NO_CHANGES: WorkspaceChanges = { created: [], modified: [], deleted: [] };

export function diffSnapshots(before: WorkspaceSnapshot, after: WorkspaceSnapshot): WorkspaceChanges {
  // A capped walk knows nothing past its last path; without this horizon, entries that merely
  // fell off the end of one walk would look created or deleted.
  const horizons = [before.truncatedAfter, after.truncatedAfter].filter((item): item is string => item !== undefined);
  const horizon = horizons.sort(comparePaths)[0];
  const visible = (item: string) => horizon === undefined || comparePaths(item, horizon) <= 0;
  const changes: WorkspaceChanges = { created: [], modified: [], deleted: [] };
  for (const [item, entry] of Object.entries(after.entries)) {
    if (!visible(item)) continue;
    const earlier = before.entries[item];
    if (!earlier) changes.created.push(item);
    else if (isModified(earlier, entry)) changes.modified.push(item);
  }
  for (const item of Object.keys(before.entries)) {
    if (visible(item) && !(item in after.entries)) changes.deleted.push(item);
  }
  return { created: changes.created.sort(comparePaths), modified: changes.modified.sort(comparePaths), deleted: changes.deleted.sort(comparePaths) };
}

/**
 * Folders never count as modified (their mtime moves whenever an entry inside changes, which is
 * reported on its own). Files compare by hash when both have one, so a `touch` is not a change;
 * above the hashing cap, size and mtime decide.
 */
function isModified(before: SnapshotEntry, after: SnapshotEntry): boolean {
  if (before.type !== after.type) return true;
  if (after.type === 'directory') return false;
  if (before.hash !== undefined && after.hash !== undefined) return before.hash !== after.hash || before.mode !== after.mode;
  return before.size !== after.size || before.mtimeMs !== after.mtimeMs;
}

export function countChanges(changes: WorkspaceChanges): number {
  return changes.created.length + changes.modified.length + changes.deleted.length;
}
