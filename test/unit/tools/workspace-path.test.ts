import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { editFileTool, readFileTool, writeFileTool } from '../../../tools';
import { InvalidPathError, PathOutsideWorkspaceError, resolveWorkspacePath } from '../../../tools/workspace-path';
import { createContext, createSandbox, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());

describe('resolveWorkspacePath', () => {
  it('resolves a relative path inside the workspace and names it relative to the workspace', async () => {
    const resolved = await resolveWorkspacePath(sandbox.workspace, 'src/a.ts');
    expect(resolved).toEqual({ absolute: path.join(sandbox.workspace, 'src/a.ts'), display: path.join('src', 'a.ts') });
  });

  it('accepts an absolute path that lies inside the workspace', async () => {
    const resolved = await resolveWorkspacePath(sandbox.workspace, path.join(sandbox.workspace, 'notes.md'));
    expect(resolved.display).toBe('notes.md');
  });

  it('percent-decodes and NFC-normalises before resolving', async () => {
    const decomposed = 'cafe\u0301.txt';
    const resolved = await resolveWorkspacePath(sandbox.workspace, encodeURIComponent(decomposed));
    expect(resolved.display).toBe('caf\u00e9.txt');
  });

  it('keeps a lone percent sign that starts no escape', async () => {
    const resolved = await resolveWorkspacePath(sandbox.workspace, '50%.txt');
    expect(resolved.display).toBe('50%.txt');
  });

  it.each(['../x', '/etc/passwd', '%2e%2e/x', 'a/../../x', '%2E%2E%2Fx'])('refuses %s as outside the workspace', async (requested) => {
    await expect(resolveWorkspacePath(sandbox.workspace, requested)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it('refuses a path with a NUL byte', async () => {
    await expect(resolveWorkspacePath(sandbox.workspace, 'a\0b')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(resolveWorkspacePath(sandbox.workspace, 'a%00b')).rejects.toBeInstanceOf(InvalidPathError);
  });

  it('refuses a symlink that points outside, even when its target does not exist yet', async () => {
    await symlink(path.join(sandbox.outside, 'secret.txt'), path.join(sandbox.workspace, 'dangling'));
    await expect(resolveWorkspacePath(sandbox.workspace, 'dangling')).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it('refuses a path below a dangling symlinked folder that points outside', async () => {
    await symlink(path.join(sandbox.outside, 'not-yet'), path.join(sandbox.workspace, 'later'));
    await expect(resolveWorkspacePath(sandbox.workspace, 'later/file.txt')).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it('allows a symlink that stays inside the workspace', async () => {
    await mkdir(path.join(sandbox.workspace, 'real'));
    await symlink('real', path.join(sandbox.workspace, 'alias'));
    const resolved = await resolveWorkspacePath(sandbox.workspace, 'alias/file.txt');
    expect(resolved.display).toBe(path.join('real', 'file.txt'));
  });

  it('refuses a loop of symlinks with a clear message', async () => {
    await symlink('loop-b', path.join(sandbox.workspace, 'loop-a'));
    await symlink('loop-a', path.join(sandbox.workspace, 'loop-b'));
    await expect(resolveWorkspacePath(sandbox.workspace, 'loop-a/x')).rejects.toThrow(/loop of symbolic links/);
  });
});

describe('file tools outside the workspace', () => {
  const escapes: Array<[string, (sandbox: Sandbox) => Promise<string>]> = [
    ['a parent-relative path', async () => '../outside/x.txt'],
    ['an absolute path', async () => '/etc/passwd'],
    ['a percent-encoded parent path', async () => '%2e%2e/outside/x.txt'],
    [
      'a symlink pointing outside',
      async (box) => {
        await writeFile(path.join(box.outside, 'x.txt'), 'outside\n');
        await symlink(path.join(box.outside, 'x.txt'), path.join(box.workspace, 'link.txt'));
        return 'link.txt';
      },
    ],
    [
      'a symlinked parent folder pointing outside',
      async (box) => {
        await symlink(box.outside, path.join(box.workspace, 'parent'));
        return 'parent/x.txt';
      },
    ],
  ];

  it.each(escapes)('write_file refuses %s and writes nothing', async (_label, prepare) => {
    const requested = await prepare(sandbox);
    const before = await readdir(sandbox.outside);
    const result = await writeFileTool.run({ path: requested, content: 'pwned' }, createContext(sandbox));
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/outside the workspace/);
    expect(await readdir(sandbox.outside)).toEqual(before);
    for (const name of before) expect(await readFile(path.join(sandbox.outside, name), 'utf8')).not.toBe('pwned');
  });

  it.each(escapes)('read_file refuses %s', async (_label, prepare) => {
    const requested = await prepare(sandbox);
    const result = await readFileTool.run({ path: requested }, createContext(sandbox));
    expect(result).toMatchObject({ isError: true });
    expect(result.output).toMatch(/outside the workspace/);
  });

  it('edit_file refuses a symlink pointing outside and leaves the target untouched', async () => {
    await writeFile(path.join(sandbox.outside, 'x.txt'), 'hello\n');
    await symlink(path.join(sandbox.outside, 'x.txt'), path.join(sandbox.workspace, 'link.txt'));
    const result = await editFileTool.run({ path: 'link.txt', old_text: 'hello', new_text: 'pwned' }, createContext(sandbox));
    expect(result.isError).toBe(true);
    expect(await readFile(path.join(sandbox.outside, 'x.txt'), 'utf8')).toBe('hello\n');
  });
});
