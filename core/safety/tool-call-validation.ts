// The entry point: judges one tool call before it runs. File tools have their path checked;
// bash commands are parsed and analysed; the policy turns the strongest finding into a verdict.
import { z } from 'zod';
import { GUARDED_TOOL_NAMES, SIDE_EFFECT_FREE_TOOLS } from './guarded-tools';
import type { RealpathReader } from './path-confinement';
import { checkPathAccess, PATH_ACCESS } from './path-findings';
import { resolveSafetyPolicy, type SafetyPolicy, type SafetyPolicyInput } from './safety-policy';
import { analyzeShellCommand } from './shell-analysis';
import { finding, summarizeFindings, type SafetyFinding, type ToolCallValidation } from './validation-result';

export type ToolCallRequest = {
  toolName: string;
  arguments: unknown;
  /** Absolute, real (symlink-free) path of the run's workspace. */
  workspace: string;
  /** Partial overrides are filled in with defaults. */
  policy?: SafetyPolicyInput;
};

const pathArgumentsSchema = z.looseObject({ path: z.string() });
const commandArgumentsSchema = z.looseObject({ command: z.string() });

export function validateToolCall(request: ToolCallRequest, fileSystem?: RealpathReader): ToolCallValidation {
  const policy = resolveSafetyPolicy(request.policy);
  return summarizeFindings(toolCallFindings(request, policy, fileSystem), policy);
}

function toolCallFindings(request: ToolCallRequest, policy: SafetyPolicy, fileSystem: RealpathReader | undefined): SafetyFinding[] {
  const { toolName, workspace } = request;
  const malformed = (expected: string): SafetyFinding[] => [
    finding('tool.malformed-arguments', 'medium', `${toolName} needs ${expected}; call it again with valid arguments`),
  ];
  switch (toolName) {
    case GUARDED_TOOL_NAMES.readFile:
    case GUARDED_TOOL_NAMES.writeFile:
    case GUARDED_TOOL_NAMES.editFile: {
      const parsed = pathArgumentsSchema.safeParse(request.arguments);
      if (!parsed.success) return malformed('a string "path"');
      const access = toolName === GUARDED_TOOL_NAMES.readFile ? PATH_ACCESS.read : PATH_ACCESS.write;
      return checkPathAccess(parsed.data.path, access, { workspace, workingDirectory: workspace, fileSystem });
    }
    case GUARDED_TOOL_NAMES.bash: {
      const parsed = commandArgumentsSchema.safeParse(request.arguments);
      if (!parsed.success) return malformed('a string "command"');
      return analyzeShellCommand(parsed.data.command, { workspace, fileSystem, policy, workingDirectory: workspace, depth: 0 });
    }
    default:
      if (SIDE_EFFECT_FREE_TOOLS.has(toolName)) return [];
      return [finding('tool.unknown', 'medium', `${toolName} is not a tool safety validation knows; use one of the listed tools`)];
  }
}
