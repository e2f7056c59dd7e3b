// Which tool calls are destructive — they can lose data that exists now — and so get their outcome
// predicted before they run. Destructive: deleting (`rm`, `unlink`, `shred`, `truncate`,
// `find -delete`, `rsync --delete`, any safety finding under `delete.*`), overwriting an existing
// file (`mv`/`cp`/`tee`/`dd of=` onto it, a `>` redirect into it) and discarding version-control
// work (`git reset --hard`, `git clean`, `git checkout -- …`, `git restore`, `git stash drop|clear`,
// `git branch -D`, `git push --force`). Not destructive by itself: creating, appending, editing in
// place and `write_file` (even over an existing file: replacing content is the tool's purpose).
// Existence is read through an injected probe so this stays pure.
import path from 'node:path';
import { unwrapInvocation, type EffectiveCommand } from '../safety/command-unwrapping';
import { nestedSources } from '../safety/nested-shell-code';
import { resolveLexically } from '../safety/path-confinement';
import { operandWords, optionValues } from '../safety/rules/rule-context';
import { flattenScript } from '../safety/shell-flattening';
import type { CommandInvocation, ResolvedWord } from '../safety/shell-invocation';
import { parseShell } from '../safety/shell-syntax';
import type { SafetyFinding } from '../safety/validation-result';
import { TOOL_NAMES } from '../tool-names';

/** What exists at an absolute path (undefined: nothing). */
export type FileKindReader = { kind(absolutePath: string): 'file' | 'directory' | 'other' | undefined };

export type DestructiveCallRequest = {
  toolName: string;
  arguments: unknown;
  /** Absolute, real path of the run's workspace (where relative paths start). */
  workspace: string;
  /** The safety validation's findings for the same call. */
  findings?: readonly SafetyFinding[];
};

export type DestructiveClassification = { destructive: boolean; reasons: string[] };

const DELETING_COMMANDS = new Set(['rm', 'unlink', 'shred', 'truncate', 'srm', 'wipe']);
const OVERWRITING_REDIRECTS = new Set(['>', '>|', '&>']);
const NO_CLOBBER = new Set(['-n', '--no-clobber', '--update=none', '--update=none-fail']);
const MAX_NESTED_DEPTH = 4;

export function classifyDestructiveCall(request: DestructiveCallRequest, files: FileKindReader): DestructiveClassification {
  const reasons: string[] = [];
  const deletes = (request.findings ?? []).filter((finding) => finding.rule.startsWith('delete.'));
  for (const finding of deletes) reasons.push(`deletes (${finding.rule})`);
  const command = (request.arguments as { command?: unknown } | null)?.command;
  if (request.toolName === TOOL_NAMES.bash && typeof command === 'string') {
    reasons.push(...shellReasons(command, request.workspace, files, 0));
  }
  const unique = [...new Set(reasons)];
  return { destructive: unique.length > 0, reasons: unique };
}

function shellReasons(source: string, workingDirectory: string | undefined, files: FileKindReader, depth: number): string[] {
  const parsed = parseShell(source);
  // Unparseable shell already needs confirmation (core/safety), which earns a prediction anyway.
  if (!parsed.ok) return [];
  const script = flattenScript(parsed.script, { workingDirectory });
  const reasons: string[] = [];
  for (const invocation of script.invocations) {
    reasons.push(...redirectReasons(invocation, files));
    for (const command of unwrapInvocation(invocation)) {
      reasons.push(...commandReasons(command, files));
      if (depth >= MAX_NESTED_DEPTH) continue;
      for (const nested of nestedSources(command)) {
        if (!nested.dynamic) reasons.push(...shellReasons(nested.text, invocation.workingDirectory, files, depth + 1));
      }
    }
  }
  return reasons;
}

function redirectReasons(invocation: CommandInvocation, files: FileKindReader): string[] {
  return invocation.redirects
    .filter((redirect) => OVERWRITING_REDIRECTS.has(redirect.operator) && !isDevice(redirect.target.text))
    .filter((redirect) => existingKind(redirect.target, invocation.workingDirectory, files) === 'file')
    .map((redirect) => `overwrites ${redirect.target.text} (${redirect.operator} redirect onto an existing file)`);
}

function commandReasons(command: EffectiveCommand, files: FileKindReader): string[] {
  const words = command.arguments;
  const texts = words.map((word) => word.text);
  const shown = (operands: readonly ResolvedWord[]): string => operands.map((word) => word.text).join(' ') || '(from input)';
  if (DELETING_COMMANDS.has(command.name)) return [`deletes ${shown(operandWords(words, command.name === 'truncate' ? ['-s', '--size', '-r', '--reference'] : []))} (${command.name})`];
  if (command.name === 'find' && texts.includes('-delete')) return [`deletes what find matches (find -delete)`];
  if (command.name === 'mv' || command.name === 'cp') return copyReasons(command, files);
  if (command.name === 'dd') {
    const output = words.find((word) => word.text.startsWith('of='));
    if (output && existingKind({ ...output, text: output.text.slice(3) }, command.invocation.workingDirectory, files) === 'file') return [`overwrites ${output.text.slice(3)} (dd of=)`];
    return [];
  }
  if (command.name === 'git') return gitReasons(texts);
  if (command.name === 'tee' && !texts.some((text) => text === '--append' || /^-[a-z]*a/u.test(text))) {
    return operandWords(words).filter((word) => existingKind(word, command.invocation.workingDirectory, files) === 'file').map((word) => `overwrites ${word.text} (tee onto an existing file)`);
  }
  if (command.name === 'rsync' && texts.some((text) => text.startsWith('--delete') || text === '--remove-source-files')) return ['deletes files at the destination or source (rsync --delete)'];
  return [];
}

/** `mv`/`cp` onto an existing file, or into a directory that already holds an entry of the same name. */
function copyReasons(command: EffectiveCommand, files: FileKindReader): string[] {
  const words = command.arguments;
  if (words.some((word) => NO_CLOBBER.has(word.text) || /^-[a-zA-Z]*n[a-zA-Z]*$/u.test(word.text))) return [];
  const directory = command.invocation.workingDirectory;
  const targetOption = optionValues(words, ['-t', '--target-directory'])[0];
  const operands = operandWords(words, ['-t', '--target-directory', '-S', '--suffix']);
  const destination = targetOption ?? operands.at(-1);
  const sources = targetOption ? operands : operands.slice(0, -1);
  if (!destination || sources.length === 0) return [];
  const destinationKind = existingKind(destination, directory, files);
  if (destinationKind === 'file' && !targetOption) return [`overwrites ${destination.text} (${command.name} onto an existing file)`];
  if (destinationKind !== 'directory') return [];
  const destinationPath = resolveLexically(destination.text, directory);
  // Globbed sources are only known after expansion; literal ones are checked by name.
  const clashes = sources.filter((source) => {
    if (!destinationPath || source.globbing || source.dynamic) return false;
    return files.kind(path.posix.join(destinationPath, path.posix.basename(source.text))) !== undefined;
  });
  return clashes.map((source) => `overwrites ${path.posix.join(destination.text, path.posix.basename(source.text))} (${command.name} into a folder that already has it)`);
}

const GIT_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']);

function gitReasons(texts: readonly string[]): string[] {
  let index = 0;
  while (index < texts.length && texts[index]?.startsWith('-')) index += GIT_VALUE_OPTIONS.has(texts[index] ?? '') ? 2 : 1;
  const subcommand = texts[index];
  const rest = texts.slice(index + 1);
  const has = (...options: string[]): boolean => rest.some((text) => options.includes(text));
  switch (subcommand) {
    case 'reset':
      return has('--hard', '--merge', '--keep') ? ['discards uncommitted changes (git reset --hard)'] : [];
    case 'clean':
      return has('-n', '--dry-run') ? [] : ['deletes untracked files (git clean)'];
    case 'checkout':
      return has('--', '.', '-f', '--force') ? ['discards uncommitted changes (git checkout)'] : [];
    case 'restore':
      return has('--staged', '-S') && !has('--worktree', '-W') ? [] : ['discards uncommitted changes (git restore)'];
    case 'stash':
      return rest[0] === 'drop' || rest[0] === 'clear' ? [`deletes stashed changes (git stash ${rest[0]})`] : [];
    case 'branch':
      return has('-D') || (has('-d', '--delete') && has('-f', '--force')) ? ['deletes a branch with unmerged work (git branch -D)'] : [];
    case 'push':
      return rest.some((text) => text === '-f' || text.startsWith('--force') || /^\+/u.test(text)) ? ['overwrites remote history (git push --force)'] : [];
    default:
      return [];
  }
}

function existingKind(word: ResolvedWord, workingDirectory: string | undefined, files: FileKindReader): ReturnType<FileKindReader['kind']> {
  if (word.dynamic || word.globbing) return undefined;
  const absolute = resolveLexically(word.text, workingDirectory);
  return absolute === undefined ? undefined : files.kind(absolute);
}

function isDevice(target: string): boolean {
  return target.startsWith('/dev/') || /^&?\d$/u.test(target);
}
