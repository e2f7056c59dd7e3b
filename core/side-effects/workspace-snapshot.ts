// What a workspace looked like at one moment: every entry's type, size, mtime and (for files small
// enough) content hash, keyed by workspace-relative path. Taken by activities/tool-turn/snapshots/take-snapshot.ts.
import { z } from 'zod';

export const snapshotEntrySchema = z.object({
  type: z.enum(['file', 'directory', 'symlink']),
  size: z.number(),
  mtimeMs: z.number(),
  mode: z.number().int(),
  /** sha256 of a file's content (absent above the hashing cap), or a symlink's target. */
  hash: z.string().optional(),
});
export type SnapshotEntry = z.infer<typeof snapshotEntrySchema>;

export const workspaceSnapshotSchema = z.object({
  /** Workspace-relative paths with `/` separators. */
  entries: z.record(z.string(), snapshotEntrySchema),
  /**
   * Set when the entry cap was reached: the walk stopped after this path (in walk order, see
   * comparePaths), so nothing is known about paths after it.
   */
  truncatedAfter: z.string().optional(),
});
export type WorkspaceSnapshot = z.infer<typeof workspaceSnapshotSchema>;

/**
 * Walk order: segment by segment, so a folder's contents sort right after it (`a`, `a/b`, `a.txt`);
 * plain string order would put `a.txt` between `a` and `a/b`.
 */
export function comparePaths(left: string, right: string): number {
  const leftSegments = left.split('/');
  const rightSegments = right.split('/');
  for (let index = 0; index < Math.min(leftSegments.length, rightSegments.length); index += 1) {
    const a = leftSegments[index] ?? '';
    const b = rightSegments[index] ?? '';
    if (a !== b) return a < b ? -1 : 1;
  }
  return leftSegments.length - rightSegments.length;
}
