// Recursive deletes that would wipe the system, the home directory or the whole workspace
// (`rm -rf /`, `rm -r -f ~`, `rm -rf "$PWD"`, `rm -rf *` at the root, `find / -delete`).
import path from 'node:path';
import type { EffectiveCommand } from '../command-unwrapping';
import { HOME_PLACEHOLDER, isWithin, resolvePath } from '../path-confinement';
import { literalWord } from '../shell-flattening';
import { homeOf, isSystemLocation } from '../sensitive-locations';
import type { ResolvedWord } from '../shell-invocation';
import { startsUnknown } from '../shell-words';
import { finding, type SafetyFinding } from '../validation-result';
import { hasFlag, operandWords, optionWords, pathContextOf, type CommandRule, type RuleContext } from './rule-context';

/** find tests that narrow what -delete removes; without one, find deletes everything below its start. */
const FIND_FILTERS = /^-(?:i?name|i?path|i?wholename|i?regex|type|newer\w*|[acm]min|[acm]time|size|empty|user|group|perm|links|inum|samefile|prune)$/u;

const WHOLE_DIRECTORY_PATTERNS = /^(?:\*+|\.\*|\*\.\*|\.\[!.\]\*|\$\{[^}]*\}|\$\(…\))$/u;

export const destructiveDeleteRule: CommandRule = (command, context) => {
  if (command.name === 'rm') return removeFindings(command, context);
  if (command.name === 'find' && command.arguments.some((word) => word.text === '-delete')) return findDeleteFindings(command, context);
  return [];
};

function removeFindings(command: EffectiveCommand, context: RuleContext): SafetyFinding[] {
  const words = command.arguments;
  const findings: SafetyFinding[] = [];
  if (optionWords(words).some((word) => word.text === '--no-preserve-root')) {
    findings.push(finding('delete.no-preserve-root', 'critical', 'rm --no-preserve-root is meant to wipe the whole system; delete specific paths inside the workspace'));
  }
  if (!hasFlag(words, 'r', '--recursive') && !hasFlag(words, 'R')) return findings;
  const targets = operandWords(words);
  if (targets.length === 0 && command.argumentsFromInput) {
    findings.push(finding('delete.targets-from-input', 'medium', 'rm -r takes its targets from piped input; list the paths to delete explicitly'));
  }
  for (const target of targets) findings.push(...deletionTargetFindings(target, command, context, 'rm -r'));
  return findings;
}

function findDeleteFindings(command: EffectiveCommand, context: RuleContext): SafetyFinding[] {
  const firstExpression = command.arguments.findIndex((word) => /^[-(!]/u.test(word.text));
  const starts = firstExpression === -1 ? command.arguments : command.arguments.slice(0, firstExpression);
  const filtered = command.arguments.some((word) => FIND_FILTERS.test(word.text));
  const findings = (starts.length > 0 ? starts : [literalWord('.')])
    .flatMap((start) => deletionTargetFindings(start, command, context, 'find -delete'));
  return filtered ? findings.filter((item) => item.rule !== 'delete.workspace-root') : findings;
}

/** Risk of recursively deleting `target` (a literal path, a glob, or a path with run-time parts). */
export function deletionTargetFindings(target: ResolvedWord, command: EffectiveCommand, context: RuleContext, action: string): SafetyFinding[] {
  if (startsUnknown(target)) {
    return [finding('delete.run-time-target', 'medium', `${action} targets ${target.text}, known only at run time (empty, it would delete from /); use a literal path`)];
  }
  const cut = target.text.search(/\$\{|\$\(|[*?[]/u);
  const wildcard = cut !== -1 && (target.globbing || target.dynamic);
  const segmentStart = target.text.lastIndexOf('/', cut) + 1;
  const segment = target.text.slice(segmentStart).split('/')[0] ?? '';
  // `dir/*`, `dir/.*` or `dir/$X` can match everything in dir; `dir/*.o` only some of its entries.
  const wholeDirectory = wildcard && WHOLE_DIRECTORY_PATTERNS.test(segment);
  const base = wholeDirectory ? target.text.slice(0, segmentStart) || '.' : target.text;
  const resolved = resolvePath(base, pathContextOf(command, context));
  if (!resolved) return [finding('delete.unknown-directory', 'medium', `${action} ${target.text} runs after a cd to a run-time directory; use an absolute workspace path`)];
  const location = resolved.real;
  const shown = wildcard ? target.text : location === HOME_PLACEHOLDER ? '~' : location;
  if (location === '/') return [finding('delete.root', 'critical', `${action} targets ${shown}, the whole file system; delete specific paths inside the workspace`)];
  if (location === HOME_PLACEHOLDER || homeOf(location) === location) {
    return [finding('delete.home', 'critical', `${action} targets the home directory (${target.text}); delete specific paths inside the workspace`)];
  }
  if (location === context.workspace) {
    return [finding('delete.workspace-root', 'high', `${action} targets the workspace root (${target.text}); delete specific paths instead`)];
  }
  if (isWithin(location, context.workspace)) {
    return [finding('delete.workspace-ancestor', 'critical', `${action} targets ${shown}, which contains the whole workspace; delete specific paths inside it`)];
  }
  if (isWithin(context.workspace, location)) return [];
  if (isSystemLocation(location)) return [finding('delete.system', 'critical', `${action} targets ${shown}, a system folder; only delete inside the workspace`)];
  if (/^\/(?:tmp|var\/tmp)\/./u.test(location)) return [];
  return [finding('delete.outside-workspace', 'high', `${action} deletes ${path.posix.normalize(shown)} outside the workspace; only delete inside the workspace`)];
}
