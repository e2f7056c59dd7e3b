// A snapshot of named paths only (each with the folders above it), in the shape of a workspace
// snapshot so the same diff applies: what a write_file or edit_file is checked against, since such
// a call can change nothing but its own path.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { SnapshotEntry, WorkspaceSnapshot } from '../../../core/side-effects';
import { SNAPSHOT_LIMITS } from './take-snapshot';

/** `relativePaths` and every folder above each, as workspace-relative paths. */
export function withAncestors(relativePaths: readonly string[]): string[] {
  const all = new Set<string>();
  for (const relative of relativePaths) {
    if (relative === '') continue;
    const parts = relative.split('/');
    for (let length = 1; length <= parts.length; length += 1) all.add(parts.slice(0, length).join('/'));
  }
  return [...all];
}

export function takePathSnapshot(workspace: string, relativePaths: readonly string[]): WorkspaceSnapshot {
  const entries: Record<string, SnapshotEntry> = {};
  for (const relative of relativePaths) {
    const entry = entryOf(path.join(workspace, relative));
    if (entry) entries[relative] = entry;
  }
  return { entries };
}

function entryOf(absolute: string): SnapshotEntry | undefined {
  let stats;
  try {
    stats = lstatSync(absolute);
  } catch {
    return undefined; // absent: a path the call creates shows up as created
  }
  const base = { size: stats.size, mtimeMs: stats.mtimeMs, mode: stats.mode & 0o7777 };
  if (stats.isDirectory()) return { type: 'directory', ...base };
  if (stats.isSymbolicLink()) return { type: 'symlink', ...base, hash: quietly(() => readlinkSync(absolute)) ?? '' };
  if (!stats.isFile()) return undefined;
  if (stats.size > SNAPSHOT_LIMITS.maxFileBytes) return { type: 'file', ...base };
  const content = quietly(() => readFileSync(absolute));
  return { type: 'file', ...base, ...(content && { hash: createHash('sha256').update(content).digest('hex') }) };
}

function quietly<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
