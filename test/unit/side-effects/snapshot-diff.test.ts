// Snapshot differences: created, modified and deleted paths, with touches and capped walks handled.
import { comparePaths, diffSnapshots, type SnapshotEntry, type WorkspaceSnapshot } from '../../../core/side-effects';

const file = (hash: string, extra: Partial<SnapshotEntry> = {}): SnapshotEntry => ({ type: 'file', size: hash.length, mtimeMs: 1, mode: 0o644, hash, ...extra });
const folder: SnapshotEntry = { type: 'directory', size: 4096, mtimeMs: 1, mode: 0o755 };
const snapshot = (entries: Record<string, SnapshotEntry>, truncatedAfter?: string): WorkspaceSnapshot => (truncatedAfter ? { entries, truncatedAfter } : { entries });

describe('diffing workspace snapshots', () => {
  it('lists created, modified and deleted paths in walk order', () => {
    const before = snapshot({ a: folder, 'a/kept.txt': file('k'), 'a/old.txt': file('o'), 'b.txt': file('b') });
    const after = snapshot({ a: { ...folder, mtimeMs: 2 }, 'a/kept.txt': file('k'), 'a/new.txt': file('n'), 'b.txt': file('B2') });
    expect(diffSnapshots(before, after)).toEqual({ created: ['a/new.txt'], modified: ['b.txt'], deleted: ['a/old.txt'] });
  });

  it('does not count a touch (same content, new mtime) as a change, but counts a new mode', () => {
    const before = snapshot({ 'x.txt': file('same') });
    expect(diffSnapshots(before, snapshot({ 'x.txt': file('same', { mtimeMs: 99 }) }))).toEqual({ created: [], modified: [], deleted: [] });
    expect(diffSnapshots(before, snapshot({ 'x.txt': file('same', { mode: 0o755 }) })).modified).toEqual(['x.txt']);
  });

  it('compares files over the hashing cap by size and mtime', () => {
    const big = { type: 'file' as const, size: 10, mtimeMs: 1, mode: 0o644 };
    expect(diffSnapshots(snapshot({ big }), snapshot({ big: { ...big, mtimeMs: 2 } })).modified).toEqual(['big']);
    expect(diffSnapshots(snapshot({ big }), snapshot({ big })).modified).toEqual([]);
  });

  it('ignores paths past the end of a capped walk instead of calling them created or deleted', () => {
    const before = snapshot({ a: file('a'), b: file('b') }, 'b');
    const after = snapshot({ a: file('a'), aa: file('new') }, 'aa');
    expect(diffSnapshots(before, after)).toEqual({ created: ['aa'], modified: [], deleted: [] });
  });

  it('orders a folder’s contents right after the folder', () => {
    expect(['a.txt', 'a/b', 'a'].sort(comparePaths)).toEqual(['a', 'a/b', 'a.txt']);
  });
});
