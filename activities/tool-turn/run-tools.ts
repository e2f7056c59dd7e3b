// The tools a run declares beyond the built-ins and MCP (get_skill for its skills, its HTTP
// tools), built for one step from the run's stored spec and joined to the worker's registry.
// Their calls take the normal execution path: gated by their declared risk, recorded by key.
import { z } from 'zod';
import { httpToolRisk } from '../../core/http-tools';
import type { McpToolRisk } from '../../core/mcp-servers';
import { GET_SKILL_TOOL } from '../../core/skills';
import type { ToolSpec } from '../../core/tool-spec';
import type { SkillFolders } from '../../stores/skill-folders';
import type { SkillsRepository } from '../../stores/skills-repository';
import { toolParameters, type ToolRegistry } from '../../tools';
import { toolError, toolSuccess } from '../../tools/tool-result';
import type { ToolDefinition } from '../../tools/types';
import type { RunExtras } from '../records/run-extras';
import { httpToolDefinition, type HttpToolCaller } from './http-tools';

/** One declared tool: what runs, what the model is told, and its verdict at the gate. */
export type DeclaredTool = { definition: ToolDefinition; spec: ToolSpec; risk: McpToolRisk; readOnly: boolean };

export type RunToolsDeps = {
  extras: RunExtras;
  skills: Pick<SkillsRepository, 'get'>;
  folders: SkillFolders;
  http: HttpToolCaller;
};

const getSkillArguments = z.object({ name: z.string().min(1).max(64).describe('The skill\'s name, as listed under "Skills" in your instructions.') }).strict();

export class RunTools {
  constructor(private readonly deps: RunToolsDeps) {}

  /** What the run declared (cached per run). */
  extrasOf(tenantId: string, runId: string) {
    return this.deps.extras.forRun(tenantId, runId);
  }

  async forRun(tenantId: string, runId: string): Promise<DeclaredTool[]> {
    const extras = await this.deps.extras.forRun(tenantId, runId);
    const tools: DeclaredTool[] = [];
    if (extras.skills.length > 0) tools.push(this.getSkill(tenantId, extras.skills));
    for (const tool of extras.httpTools) {
      const definition = httpToolDefinition(this.deps.http, tool);
      tools.push({ definition, spec: { name: tool.name, description: tool.description, parameters: tool.parameters }, risk: httpToolRisk(tool), readOnly: tool.method === 'GET' });
    }
    return tools;
  }

  private getSkill(tenantId: string, names: readonly string[]): DeclaredTool {
    const definition: ToolDefinition<z.infer<typeof getSkillArguments>> = {
      name: GET_SKILL_TOOL,
      description: 'Loads the full instructions of one of your skills (listed under "Skills" in your instructions). Call it before a task the skill covers, then follow what it says.',
      schema: getSkillArguments,
      run: async ({ name }) => {
        if (!names.includes(name)) return toolError(`No skill "${name}" in this run. Skills: ${names.join(', ')}.`, { unknownSkill: name });
        const own = await this.deps.skills.get(tenantId, name);
        const skill = own ?? await this.deps.folders.get(name).catch(() => undefined);
        if (!skill) return toolError(`Skill "${name}" is no longer available (deleted since the run started).`, { missingSkill: name });
        return toolSuccess(`# Skill: ${name}\n\n${skill.body}`, { skill: { name, source: own ? 'tenant' : 'directory' } });
      },
    };
    return { definition: definition as ToolDefinition, spec: { name: GET_SKILL_TOOL, description: definition.description, parameters: toolParameters(definition as ToolDefinition) }, risk: 'safe', readOnly: true };
  }
}

/** The registry plus the step's declared tools (a declared name shadows nothing: names are checked at the API). */
export function withDeclaredTools(base: ToolRegistry, declared: readonly DeclaredTool[]): ToolRegistry {
  if (declared.length === 0) return base;
  const byName = new Map(declared.map((tool) => [tool.definition.name, tool]));
  return {
    get: (name) => byName.get(name)?.definition ?? base.get(name),
    names: () => [...base.names(), ...byName.keys()],
    specs: (names) => {
      const wanted = names ?? [...base.names(), ...byName.keys()];
      const builtIn = base.specs(wanted.filter((name) => !byName.has(name)));
      return [...builtIn, ...wanted.flatMap((name) => byName.get(name)?.spec ?? [])];
    },
  };
}
