// Which tool calls count as destructive (and so get their outcome predicted before they run).
import { classifyDestructiveCall, type FileKindReader } from '../../../core/judgement';

const WORKSPACE = '/work/space';

/** A fake file system: these paths exist (a trailing slash marks a directory). */
function filesystem(...entries: string[]): FileKindReader {
  return {
    kind: (target) => {
      for (const entry of entries) {
        const absolute = `${WORKSPACE}/${entry.replace(/\/$/u, '')}`;
        if (absolute === target) return entry.endsWith('/') ? 'directory' : 'file';
      }
      return undefined;
    },
  };
}

function bash(command: string, files: FileKindReader = filesystem()) {
  return classifyDestructiveCall({ toolName: 'bash', arguments: { command }, workspace: WORKSPACE }, files);
}

describe('destructive tool calls', () => {
  it.each([
    ['rm *.txt'],
    ['rm -f notes.txt'],
    ['unlink a.log'],
    ['shred -u secret.txt'],
    ['truncate -s 0 app.log'],
    ['find . -name "*.tmp" -delete'],
    ['find . -name "*.tmp" -exec rm {} \\;'],
    ['ls && rm old.txt'],
    ['bash -c "rm -r build"'],
    ['sudo rm cache.db'],
    ['git reset --hard HEAD~1'],
    ['git clean -fdx'],
    ['git checkout -- src/index.ts'],
    ['git restore src/index.ts'],
    ['git stash drop'],
    ['git branch -D feature'],
    ['git push --force origin main'],
    ['rsync -a --delete src/ mirror/'],
  ])('counts `%s` as destructive', (command) => {
    expect(bash(command).destructive).toBe(true);
  });

  it.each([
    ['ls -la'],
    ['cat notes.txt'],
    ['mkdir -p backup && mv *.txt backup/'],
    ['cp a.txt b.txt'],
    ['echo hi > new.txt'],
    ['echo hi >> notes.txt'],
    ['echo hi > /dev/null'],
    ['git status'],
    ['git clean -n'],
    ['git restore --staged src/index.ts'],
    ['git checkout -b feature'],
    ['sed -i s/a/b/ notes.txt'],
    ['rmdir empty'],
  ])('does not count `%s` as destructive', (command) => {
    expect(bash(command, filesystem('notes.txt', 'a.txt', 'backup/')).destructive).toBe(false);
  });

  it('counts mv and cp onto an existing file as destructive, and not with --no-clobber', () => {
    const files = filesystem('a.txt', 'b.txt');
    expect(bash('mv a.txt b.txt', files)).toEqual({ destructive: true, reasons: ['overwrites b.txt (mv onto an existing file)'] });
    expect(bash('cp a.txt b.txt', files).destructive).toBe(true);
    expect(bash('cp -n a.txt b.txt', files).destructive).toBe(false);
    expect(bash('mv --no-clobber a.txt b.txt', files).destructive).toBe(false);
  });

  it('counts a move into a folder that already holds a file of the same name as destructive', () => {
    expect(bash('mv a.txt backup/', filesystem('a.txt', 'backup/', 'backup/a.txt')).reasons).toEqual(['overwrites backup/a.txt (mv into a folder that already has it)']);
    expect(bash('mv a.txt backup/', filesystem('a.txt', 'backup/')).destructive).toBe(false);
  });

  it('counts a > redirect onto an existing file as destructive, but not onto a new one', () => {
    expect(bash('echo hi > notes.txt', filesystem('notes.txt')).reasons).toEqual(['overwrites notes.txt (> redirect onto an existing file)']);
    expect(bash('echo hi > fresh.txt', filesystem('notes.txt')).destructive).toBe(false);
  });

  it('counts tee onto an existing file as destructive, unless it appends', () => {
    const files = filesystem('notes.txt');
    expect(bash('echo hi | tee notes.txt', files).reasons).toEqual(['overwrites notes.txt (tee onto an existing file)']);
    expect(bash('echo hi | tee -a notes.txt', files).destructive).toBe(false);
    expect(bash('echo hi | tee fresh.txt', files).destructive).toBe(false);
  });

  it('counts a safety finding under delete.* as destructive, whatever the tool', () => {
    const findings = [{ rule: 'delete.workspace-root', risk: 'high' as const, detail: 'rm -r targets the workspace root' }];
    expect(classifyDestructiveCall({ toolName: 'bash', arguments: { command: 'rm -rf .' }, workspace: WORKSPACE, findings }, filesystem()).reasons)
      .toContain('deletes (delete.workspace-root)');
  });

  it('does not count write_file over an existing file as destructive by itself', () => {
    expect(classifyDestructiveCall({ toolName: 'write_file', arguments: { path: 'notes.txt', content: 'x' }, workspace: WORKSPACE }, filesystem('notes.txt')).destructive).toBe(false);
  });
});
