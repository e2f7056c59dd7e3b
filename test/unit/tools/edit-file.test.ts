import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { editFileTool } from '../../../tools';
import { recordEditIntent } from '../../../tools/edit-intent';
import { createContext, createSandbox, type Sandbox } from './tool-context';

let sandbox: Sandbox;
let file: string;
beforeEach(async () => {
  sandbox = await createSandbox();
  file = path.join(sandbox.workspace, 'a.ts');
});
afterEach(async () => sandbox.cleanup());

describe('edit_file', () => {
  it('replaces text that occurs exactly once', async () => {
    await writeFile(file, 'const a = 1;\nconst b = 2;\n');
    const result = await editFileTool.run({ path: 'a.ts', old_text: 'b = 2', new_text: 'b = $& 3' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: false, output: 'Edited a.ts: replaced 1 occurrence.' });
    expect(await readFile(file, 'utf8')).toBe('const a = 1;\nconst b = $& 3;\n');
  });

  it('refuses text that occurs 0 times and leaves the file untouched', async () => {
    await writeFile(file, 'const a = 1;\n');
    const result = await editFileTool.run({ path: 'a.ts', old_text: 'const z', new_text: 'x' }, createContext(sandbox));
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/^old_text occurs 0 times in a\.ts/);
    expect(await readFile(file, 'utf8')).toBe('const a = 1;\n');
  });

  it('refuses text that occurs 3 times, asking for more context, and leaves the file untouched', async () => {
    await writeFile(file, 'x;\nx;\nx;\n');
    const result = await editFileTool.run({ path: 'a.ts', old_text: 'x;', new_text: 'y;' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: true, metadata: { occurrences: 3 } });
    expect(result.output).toMatch(/^old_text occurs 3 times in a\.ts; include more context to make it unique/);
    expect(await readFile(file, 'utf8')).toBe('x;\nx;\nx;\n');
    expect(await readdir(sandbox.jobsDir)).toEqual([]);
  });

  it('replaces every occurrence with replace_all', async () => {
    await writeFile(file, 'x;\nx;\nx;\n');
    const result = await editFileTool.run({ path: 'a.ts', old_text: 'x;', new_text: 'y;', replace_all: true }, createContext(sandbox));
    expect(result.output).toBe('Edited a.ts: replaced 3 occurrences.');
    expect(await readFile(file, 'utf8')).toBe('y;\ny;\ny;\n');
  });

  it('reports success when re-run with the same call id after the edit was applied', async () => {
    await writeFile(file, 'let count = 1;\n');
    const context = createContext(sandbox);
    const args = { path: 'a.ts', old_text: 'count = 1', new_text: 'count = 1 + 1' };
    expect((await editFileTool.run(args, context)).isError).toBe(false);
    const retry = await editFileTool.run(args, context);
    expect(retry).toMatchObject({ isError: false, metadata: { alreadyApplied: true } });
    expect(await readFile(file, 'utf8')).toBe('let count = 1 + 1;\n');
    expect(await readdir(sandbox.jobsDir)).toEqual([`${context.callId}.edit.json`]);
  });

  it('still fails a different call whose text is gone', async () => {
    await writeFile(file, 'a\n');
    await editFileTool.run({ path: 'a.ts', old_text: 'a', new_text: 'b' }, createContext(sandbox));
    const other = await editFileTool.run({ path: 'a.ts', old_text: 'a', new_text: 'b' }, createContext(sandbox));
    expect(other.output).toMatch(/occurs 0 times/);
  });

  it('applies the edit on a retry whose earlier attempt stored its intent but crashed before writing', async () => {
    await writeFile(file, 'a\n');
    const context = createContext(sandbox);
    await recordEditIntent(sandbox.jobsDir, context.callId, file, 'b\n');
    const result = await editFileTool.run({ path: 'a.ts', old_text: 'a', new_text: 'b' }, context);
    expect(result.output).toBe('Edited a.ts: replaced 1 occurrence.');
    expect(await readFile(file, 'utf8')).toBe('b\n');
  });

  it('reports a missing file clearly', async () => {
    const result = await editFileTool.run({ path: 'nope.ts', old_text: 'a', new_text: 'b' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: true, output: 'nope.ts does not exist.' });
  });
});
