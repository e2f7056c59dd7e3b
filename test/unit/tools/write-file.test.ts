import { mkdir, readdir, readFile, stat, chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileTool } from '../../../tools';
import { createContext, createSandbox, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());

describe('write_file', () => {
  it('creates missing parent folders and reports the bytes written', async () => {
    const result = await writeFileTool.run({ path: 'deep/er/file.txt', content: 'héllo\n' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: false, metadata: { bytesWritten: 7, created: true } });
    expect(result.output).toBe(`Created ${path.join('deep', 'er', 'file.txt')} (7 bytes written).`);
    expect(await readFile(path.join(sandbox.workspace, 'deep/er/file.txt'), 'utf8')).toBe('héllo\n');
  });

  it('replaces an existing file, keeps its mode and leaves no temporary files behind', async () => {
    const file = path.join(sandbox.workspace, 'run.sh');
    await writeFile(file, 'old');
    await chmod(file, 0o755);
    const result = await writeFileTool.run({ path: 'run.sh', content: 'new' }, createContext(sandbox));
    expect(result.output).toMatch(/^Replaced run.sh/);
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o755);
    expect(await readdir(sandbox.workspace)).toEqual(['run.sh']);
  });

  it('gives the same file when run twice with the same arguments', async () => {
    const context = createContext(sandbox);
    await writeFileTool.run({ path: 'a.txt', content: 'same' }, context);
    const again = await writeFileTool.run({ path: 'a.txt', content: 'same' }, context);
    expect(again.isError).toBe(false);
    expect(await readFile(path.join(sandbox.workspace, 'a.txt'), 'utf8')).toBe('same');
  });

  it('refuses to replace a directory', async () => {
    await mkdir(path.join(sandbox.workspace, 'src'));
    const result = await writeFileTool.run({ path: 'src', content: 'x' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: true, output: 'src is a directory; give the path of a file.' });
  });

  it('reports a parent that is a file as an error the model can fix', async () => {
    await writeFile(path.join(sandbox.workspace, 'file'), 'x');
    const result = await writeFileTool.run({ path: 'file/child.txt', content: 'x' }, createContext(sandbox));
    expect(result.isError).toBe(true);
  });
});
