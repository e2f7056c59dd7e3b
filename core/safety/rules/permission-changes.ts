// Recursive permission or ownership changes on the system, the home directory or a folder that
// contains the workspace (`chmod -R 777 /`, `chown -R user /`).
import { HOME_PLACEHOLDER, isWithin, resolvePath } from '../path-confinement';
import { homeOf, isSystemLocation } from '../sensitive-locations';
import { finding, type SafetyFinding } from '../validation-result';
import { hasFlag, operandWords, pathContextOf, type CommandRule } from './rule-context';

const OWNERSHIP_COMMANDS = new Set(['chmod', 'chown', 'chgrp', 'setfacl', 'chcon']);

export const permissionChangeRule: CommandRule = (command, context) => {
  if (!OWNERSHIP_COMMANDS.has(command.name)) return [];
  if (!hasFlag(command.arguments, 'R', '--recursive')) return [];
  const findings: SafetyFinding[] = [];
  // The first operand is the mode or owner (chmod 777 / chown user:group), not a path.
  const targets = operandWords(command.arguments).slice(command.name === 'setfacl' ? 0 : 1);
  for (const target of targets) {
    const base = target.text.replace(/\/?\*+$/u, '') || '/';
    const resolved = target.dynamic ? undefined : resolvePath(base, pathContextOf(command, context));
    if (!resolved) continue;
    const location = resolved.real;
    const wholeSystem = location === '/' || location === HOME_PLACEHOLDER || homeOf(location) === location;
    const containsWorkspace = isWithin(location, context.workspace) && location !== context.workspace;
    if (wholeSystem || containsWorkspace || (isSystemLocation(location) && !isWithin(context.workspace, location))) {
      findings.push(finding('permissions.recursive-system', 'critical', `${command.name} -R on ${target.text} changes a whole system tree; change specific files inside the workspace`));
    }
  }
  return findings;
};
