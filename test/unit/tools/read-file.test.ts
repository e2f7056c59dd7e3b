import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { get_encoding } from 'tiktoken';
import { createReadFileTool, DEFAULT_READ_TOKEN_BUDGET, readFileTool } from '../../../tools';
import { createContext, createSandbox, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());
const cl100k = get_encoding('cl100k_base');
afterAll(() => cl100k.free());

const lines = (count: number, width = 0) => Array.from({ length: count }, (_, index) => `line ${index + 1}`.padEnd(width, '.'));

describe('read_file', () => {
  it('numbers lines like cat -n', async () => {
    await writeFile(path.join(sandbox.workspace, 'a.txt'), 'alpha\nbeta\r\ngamma');
    const result = await readFileTool.run({ path: 'a.txt' }, createContext(sandbox));
    expect(result.isError).toBe(false);
    expect(result.output).toBe('     1\talpha\n     2\tbeta\n     3\tgamma');
    expect(result.metadata).toMatchObject({ totalLines: 3, truncated: false });
  });

  it('reads a window with offset and limit and says how to read further', async () => {
    await writeFile(path.join(sandbox.workspace, 'a.txt'), lines(10).join('\n') + '\n');
    const result = await readFileTool.run({ path: 'a.txt', offset: 4, limit: 3 }, createContext(sandbox));
    expect(result.output.split('\n').slice(0, 3)).toEqual(['     4\tline 4', '     5\tline 5', '     6\tline 6']);
    expect(result.output).toContain('the file has 10 lines');
    expect(result.output).toContain('offset=7');
    expect(result.metadata).toMatchObject({ firstLine: 4, lastLine: 6, totalLines: 10, truncated: true });
  });

  it('shows the last lines without a note when the window reaches the end', async () => {
    await writeFile(path.join(sandbox.workspace, 'a.txt'), lines(5).join('\n') + '\n');
    const result = await readFileTool.run({ path: 'a.txt', offset: 4, limit: 10 }, createContext(sandbox));
    expect(result.output).toBe('     4\tline 4\n     5\tline 5');
  });

  it('stops at 2000 lines by default', async () => {
    await writeFile(path.join(sandbox.workspace, 'long.txt'), lines(2500).join('\n'));
    const result = await readFileTool.run({ path: 'long.txt' }, createContext(sandbox));
    expect(result.metadata).toMatchObject({ lastLine: 2000, totalLines: 2500 });
    expect(result.output).toContain('offset=2001');
  });

  it('cuts a huge file to the token budget, counted with tiktoken, and says where and how to read on', async () => {
    // Token-dense text: 25,000 tokens is far fewer characters than the old 100,000-character cut.
    const dense = Array.from({ length: 3000 }, (_, index) => `${index} ${'{[(<'.repeat(20)} ${index * 7919}`);
    await writeFile(path.join(sandbox.workspace, 'huge.txt'), dense.join('\n'));
    const result = await readFileTool.run({ path: 'huge.txt', limit: 3000 }, createContext(sandbox));
    expect(result.isError).toBe(false);
    const lastLine = result.metadata?.lastLine as number;
    expect(lastLine).toBeGreaterThan(100);
    expect(lastLine).toBeLessThan(3000);
    const [shown, note] = result.output.split('\n\n[');
    const tokens = cl100k.encode_ordinary(shown!).length;
    expect(tokens).toBeLessThanOrEqual(DEFAULT_READ_TOKEN_BUDGET);
    expect(tokens).toBeGreaterThan(DEFAULT_READ_TOKEN_BUDGET * 0.95);
    expect(note).toBe(
      `Output cut after line ${lastLine} to stay within ${DEFAULT_READ_TOKEN_BUDGET} tokens; the file has 3000 lines. ` +
        `Read further with offset=${lastLine + 1} (and a smaller limit to read less at once).]`,
    );
    expect(shown!.split('\n').at(-1)).toMatch(new RegExp(`^\\s*${lastLine}\\t`));
  });

  it('honours a smaller token budget given when the tool is created', async () => {
    await writeFile(path.join(sandbox.workspace, 'a.txt'), lines(100).join('\n'));
    const tool = createReadFileTool({ tokenBudget: 30 });
    expect(tool.description).toContain('about 30 tokens');
    const result = await tool.run({ path: 'a.txt' }, createContext(sandbox));
    const lastLine = result.metadata?.lastLine as number;
    const shown = result.output.split('\n\n[')[0]!;
    expect(cl100k.encode_ordinary(`${shown}\n`).length).toBeLessThanOrEqual(30);
    const next = `${String(lastLine + 1).padStart(6, ' ')}\tline ${lastLine + 1}`;
    expect(cl100k.encode_ordinary(`${shown}\n${next}\n`).length).toBeGreaterThan(30);
    expect(result.output).toContain(`offset=${lastLine + 1}`);
  });

  it('cuts very long lines and says so', async () => {
    await writeFile(path.join(sandbox.workspace, 'min.js'), 'x'.repeat(5000) + '\nshort\n');
    const result = await readFileTool.run({ path: 'min.js' }, createContext(sandbox));
    expect(result.output).toContain('[line cut, 5000 characters]');
    expect(result.output).toContain('     2\tshort');
    expect(result.output).toContain('1 long lines were cut');
  });

  it('reports a binary file instead of dumping it', async () => {
    await writeFile(path.join(sandbox.workspace, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    const result = await readFileTool.run({ path: 'image.png' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: true, metadata: { binary: true } });
    expect(result.output).toMatch(/binary file/);
  });

  it('reports a missing file clearly', async () => {
    const result = await readFileTool.run({ path: 'missing.txt' }, createContext(sandbox));
    expect(result).toEqual({ isError: true, output: 'missing.txt does not exist.', metadata: { errorName: 'ToolInputError' } });
  });

  it('reports a directory and an offset past the end clearly', async () => {
    await mkdir(path.join(sandbox.workspace, 'src'));
    expect((await readFileTool.run({ path: 'src' }, createContext(sandbox))).output).toMatch(/is a directory/);
    await writeFile(path.join(sandbox.workspace, 'a.txt'), 'one\ntwo\n');
    const past = await readFileTool.run({ path: 'a.txt', offset: 5 }, createContext(sandbox));
    expect(past).toMatchObject({ isError: true, output: 'offset 5 is past the end of a.txt, which has 2 lines.' });
  });

  it('says when a file is empty', async () => {
    await writeFile(path.join(sandbox.workspace, 'empty.txt'), '');
    const result = await readFileTool.run({ path: 'empty.txt' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: false, output: '(empty.txt is empty)' });
  });
});
