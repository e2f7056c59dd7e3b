// The tool registry: which tools exist, what the model is told about them (JSON Schema from zod),
// and `runTool`, which validates a model's arguments before a tool sees them.
import { z } from 'zod';
import type { ToolSpec } from '../core/tool-spec';
import { bashTool, createBashTool } from './bash';
import { bashKillTool } from './bash-kill';
import { bashOutputTool } from './bash-output';
import { editFileTool } from './edit-file';
import { recallNotesTool, recordNoteTool } from './notes';
import { readFileTool } from './read-file';
import { readToolOutputTool } from './read-tool-output';
import type { BashSandbox } from './sandbox';
import { catchToolInputErrors, toolError } from './tool-result';
import type { ToolContext, ToolDefinition, ToolResult } from './types';
import { writeFileTool } from './write-file';

export const DEFAULT_TOOLS: readonly ToolDefinition[] = [
  readFileTool,
  writeFileTool,
  editFileTool,
  bashTool,
  bashOutputTool,
  bashKillTool,
  recordNoteTool,
  recallNotesTool,
  readToolOutputTool,
];

/** The default tools with bash running in `bashSandbox` (the worker resolves and logs it at start-up). */
export function createDefaultTools(options: { bashSandbox: BashSandbox }): ToolDefinition[] {
  return DEFAULT_TOOLS.map((tool) => (tool === bashTool ? createBashTool({ sandbox: options.bashSandbox }) : tool));
}

export type ToolRegistry = {
  /** The tool called `name`, if there is one. */
  get(name: string): ToolDefinition | undefined;
  /** Names of every tool, in registration order. */
  names(): string[];
  /** What the model is told about the named tools (all when `names` is omitted). */
  specs(names?: readonly string[]): ToolSpec[];
};

/** Thrown when two tools are registered under one name. */
export class DuplicateToolError extends Error {
  constructor(readonly toolName: string) {
    super(`two tools are registered as "${toolName}"`);
    this.name = 'DuplicateToolError';
  }
}

/** Thrown when `specs` is asked for a tool the registry does not have. */
export class UnknownToolError extends Error {
  constructor(
    readonly toolName: string,
    readonly availableTools: readonly string[],
  ) {
    super(`no tool named "${toolName}"; available: ${availableTools.join(', ')}`);
    this.name = 'UnknownToolError';
  }
}

export function createToolRegistry(definitions: readonly ToolDefinition[] = DEFAULT_TOOLS): ToolRegistry {
  const byName = new Map<string, ToolDefinition>();
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new DuplicateToolError(definition.name);
    byName.set(definition.name, definition);
  }
  // Specs are computed once: every model call sends them, and JSON Schema generation is not free.
  const specCache = new Map<string, ToolSpec>();
  const specFor = (name: string): ToolSpec => {
    const cached = specCache.get(name);
    if (cached) return cached;
    const definition = byName.get(name);
    if (!definition) throw new UnknownToolError(name, [...byName.keys()]);
    const spec = { name: definition.name, description: definition.description, parameters: toolParameters(definition) };
    specCache.set(name, spec);
    return spec;
  };
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
    specs: (names) => (names ?? [...byName.keys()]).map(specFor),
  };
}

/** JSON Schema of a tool's arguments as the model writes them (input side: optional fields stay optional). */
export function toolParameters(definition: ToolDefinition): Record<string, unknown> {
  const { $schema: _dialect, ...parameters } = z.toJSONSchema(definition.schema, { io: 'input' }) as Record<string, unknown>;
  return parameters;
}

/**
 * Validates `rawArguments` and runs the tool. Unknown tools and invalid arguments come back as error
 * results the model can act on; only infrastructure failures throw.
 */
export async function runTool(registry: ToolRegistry, name: string, rawArguments: unknown, context: ToolContext): Promise<ToolResult> {
  const definition = registry.get(name);
  if (!definition) {
    return toolError(`Unknown tool "${name}". Available tools: ${registry.names().join(', ')}.`, { unknownTool: name });
  }
  const parsed = definition.schema.safeParse(rawArguments);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describeIssue);
    return toolError(`${name} arguments invalid: ${problems.join('; ')}`, { invalidArguments: problems });
  }
  return catchToolInputErrors(() => definition.run(parsed.data, context));
}

/** "path: expected string, received number", "path: required (expected string)", "unrecognized key "x"". */
function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.');
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && message.endsWith('received undefined')) message = `required (expected ${issue.expected})`;
  if (issue.code === 'unrecognized_keys') message = message.replace(/^Unrecognized key/, 'unrecognized key');
  return field === '' ? message : `${field}: ${message}`;
}
