import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createToolRegistry, DuplicateToolError, runTool, TOOL_NAMES, ToolInputError, UnknownToolError, type ToolDefinition } from '../../../tools';
import { createContext, createSandbox, type Sandbox } from './tool-context';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => sandbox.cleanup());

describe('tool registry', () => {
  const registry = createToolRegistry();

  it('holds every default tool under its TOOL_NAMES name', () => {
    expect(registry.names().sort()).toEqual(Object.values(TOOL_NAMES).sort());
    expect(registry.get(TOOL_NAMES.readFile)?.name).toBe('read_file');
    expect(registry.get('nope')).toBeUndefined();
  });

  it('describes tools with JSON Schema from zod, without the $schema key', () => {
    const [spec] = registry.specs([TOOL_NAMES.editFile]);
    expect(spec?.name).toBe('edit_file');
    expect(spec?.parameters).not.toHaveProperty('$schema');
    expect(spec?.parameters).toMatchObject({
      type: 'object',
      required: ['path', 'old_text', 'new_text'],
      additionalProperties: false,
      properties: { replace_all: { type: 'boolean' }, old_text: { type: 'string', minLength: 1 } },
    });
    expect(registry.specs()).toHaveLength(Object.keys(TOOL_NAMES).length);
  });

  it('throws when asked for the spec of a tool it does not have', () => {
    expect(() => registry.specs(['nope'])).toThrow(UnknownToolError);
  });

  it('refuses two tools with one name', () => {
    const tool = registry.get(TOOL_NAMES.bash) as ToolDefinition;
    expect(() => createToolRegistry([tool, tool])).toThrow(DuplicateToolError);
  });
});

describe('runTool', () => {
  const registry = createToolRegistry();

  it('runs a tool with valid arguments', async () => {
    await writeFile(path.join(sandbox.workspace, 'a.txt'), 'hello\n');
    const result = await runTool(registry, TOOL_NAMES.readFile, { path: 'a.txt' }, createContext(sandbox));
    expect(result).toMatchObject({ isError: false, output: '     1\thello' });
  });

  it('names each invalid field in a way the model can act on', async () => {
    const result = await runTool(registry, TOOL_NAMES.readFile, { path: 42, offset: 0 }, createContext(sandbox));
    expect(result.isError).toBe(true);
    expect(result.output).toBe('read_file arguments invalid: path: expected string, received number; offset: Too small: expected number to be >=1');
  });

  it('names missing and unrecognised fields', async () => {
    const result = await runTool(registry, TOOL_NAMES.editFile, { path: 'a', old_text: 'x', replaceAll: true }, createContext(sandbox));
    expect(result.output).toBe('edit_file arguments invalid: new_text: required (expected string); unrecognized key: "replaceAll"');
  });

  it('refuses arguments that are not an object', async () => {
    const result = await runTool(registry, TOOL_NAMES.bash, 'ls', createContext(sandbox));
    expect(result).toMatchObject({ isError: true, output: 'bash arguments invalid: expected object, received string' });
  });

  it('lists the available tools when the tool is unknown', async () => {
    const result = await runTool(registry, 'delete_everything', {}, createContext(sandbox));
    expect(result.isError).toBe(true);
    expect(result.output).toBe(`Unknown tool "delete_everything". Available tools: ${registry.names().join(', ')}.`);
  });

  it('turns a user-level error thrown by a tool into an error result and lets other errors through', async () => {
    const failing = (error: Error): ToolDefinition<{ value: string }> => ({
      name: 'failing',
      description: 'fails',
      schema: z.object({ value: z.string() }),
      run: () => Promise.reject(error),
    });
    const userLevel = createToolRegistry([failing(new ToolInputError('value is wrong'))]);
    expect(await runTool(userLevel, 'failing', { value: 'x' }, createContext(sandbox))).toMatchObject({ isError: true, output: 'value is wrong' });
    const infrastructure = createToolRegistry([failing(new Error('database down'))]);
    await expect(runTool(infrastructure, 'failing', { value: 'x' }, createContext(sandbox))).rejects.toThrow('database down');
  });
});
