// Analyses a shell command: parses it, flattens it into the commands it runs, sees through
// wrappers, follows nested shell code (bash -c, eval, here-documents…) and applies every rule.
import { unwrapInvocation, type EffectiveCommand } from './command-unwrapping';
import { nestedSources } from './nested-shell-code';
import { credentialAccessRule } from './rules/credential-access';
import { destructiveDeleteRule } from './rules/destructive-deletes';
import { diskAndDeviceRule } from './rules/disks-and-devices';
import { forkBombFindings } from './rules/fork-bombs';
import { inlineCodeRule, inlineShellSources } from './rules/inline-code';
import { networkUseRule } from './rules/network-use';
import { pathArgumentRule, redirectionFindings } from './rules/path-arguments';
import { permissionChangeRule } from './rules/permission-changes';
import { privilegeRule } from './rules/privilege';
import { downloadThenRunFindings, remoteExecutionRule } from './rules/remote-execution';
import type { CommandRule, RuleContext } from './rules/rule-context';
import { runTimeCommandRule } from './rules/run-time-commands';
import { systemControlRule } from './rules/system-control';
import { tamperingRule } from './rules/tampering';
import { flattenScript } from './shell-flattening';
import { parseShell } from './shell-syntax';
import { finding, type SafetyFinding } from './validation-result';

export const COMMAND_RULES: readonly CommandRule[] = [
  destructiveDeleteRule,
  diskAndDeviceRule,
  systemControlRule,
  privilegeRule,
  permissionChangeRule,
  tamperingRule,
  credentialAccessRule,
  networkUseRule,
  remoteExecutionRule,
  inlineCodeRule,
  runTimeCommandRule,
  pathArgumentRule,
];

export type ShellAnalysisContext = RuleContext & {
  /** Absolute directory the command starts in (the workspace for the bash tool). */
  workingDirectory: string | undefined;
  /** How many levels of nested shell code enclose this source (0 for the tool's own command). */
  depth: number;
  variables?: ReadonlyMap<string, string>;
};

export function analyzeShellCommand(source: string, context: ShellAnalysisContext): SafetyFinding[] {
  const parsed = parseShell(source);
  if (!parsed.ok) {
    const where = context.depth > 0 ? 'nested shell code' : 'the command';
    return [finding('shell.unparseable', 'medium', `${where} does not parse as shell (${parsed.message}); fix the quoting or split it into simpler commands`)];
  }
  const script = flattenScript(parsed.script, { workingDirectory: context.workingDirectory, variables: context.variables });
  const findings: SafetyFinding[] = forkBombFindings(script);
  const commands: EffectiveCommand[] = [];
  for (const invocation of script.invocations) {
    findings.push(...redirectionFindings(invocation, context));
    for (const command of unwrapInvocation(invocation)) {
      commands.push(command);
      for (const rule of COMMAND_RULES) findings.push(...rule(command, context));
      for (const nested of [...nestedSources(command), ...inlineShellSources(command)]) {
        if (nested.dynamic) {
          findings.push(finding('shell.run-time-code', 'medium', `${nested.via} runs code assembled at run time; run the commands directly`));
        }
        if (context.depth + 1 > context.policy.maxNestingDepth) {
          findings.push(finding('shell.too-deep', 'high', `shell code is nested more than ${context.policy.maxNestingDepth} levels deep; run the commands directly`));
          continue;
        }
        findings.push(...analyzeShellCommand(nested.text, { ...context, depth: context.depth + 1, workingDirectory: invocation.workingDirectory, variables: script.variables }));
      }
    }
  }
  findings.push(...downloadThenRunFindings(commands));
  return findings;
}
