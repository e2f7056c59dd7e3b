// Every path a command names — operands, `key=value` and output options, redirections — checked
// for where it lands, read or written depending on what the command does with it.
import path from 'node:path';
import type { EffectiveCommand } from '../command-unwrapping';
import { INTERPRETERS, SHELLS } from '../nested-shell-code';
import { resolveLexically } from '../path-confinement';
import { checkPathAccess, PATH_ACCESS, type PathAccess } from '../path-findings';
import type { CommandInvocation, ResolvedWord } from '../shell-invocation';
import { startsUnknown } from '../shell-words';
import type { SafetyFinding } from '../validation-result';
import { REMOTE_OPERAND } from './network-hosts';
import { hasFlag, operandWords, optionValues, pathContextOf, type CommandRule, type RuleContext } from './rule-context';

/** Commands whose operands are not file names (messages, patterns, signals, code). */
const NO_PATH_OPERANDS = new Set(['', 'echo', 'printf', 'true', 'false', 'exit', 'return', 'tr', 'kill', 'pkill', 'killall', 'pgrep', 'sleep', 'seq', 'expr', 'test', '[', '[[',
  'alias', 'trap', 'eval', 'export', 'declare', 'local', 'readonly', 'typeset', 'unset', 'set', 'shift', 'read', 'type', 'which', 'hash', 'command', 'history', 'date', 'yes', 'ps', 'id', 'whoami']);
/** Every operand is modified. */
const WRITES_ALL = new Set(['rm', 'rmdir', 'unlink', 'shred', 'truncate', 'touch', 'mkdir', 'mv', 'chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'tee', 'mkfifo', 'mknod', 'sudoedit']);
/** The last operand is the destination; the others are read. */
const WRITES_LAST = new Set(['cp', 'install', 'ln', 'rsync', 'scp', 'link']);
/** The first operand is a pattern or program, not a file. */
const PATTERN_FIRST = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'sed', 'awk', 'gawk', 'mawk', 'jq', 'yq', 'xmllint']);
/** Options whose value is a file the command writes. */
const OUTPUT_OPTIONS: Readonly<Record<string, string[]>> = {
  curl: ['-o', '--output'], wget: ['-O', '--output-document', '-P', '--directory-prefix'], sort: ['-o', '--output'], unzip: ['-d'],
  gcc: ['-o'], 'g++': ['-o'], cc: ['-o'], clang: ['-o'], 'clang++': ['-o'], ld: ['-o'], patch: ['-o'], tar: ['-C', '--directory'], 'ssh-keygen': ['-f'],
};
/** Options whose value is the next word and not a file, per command. */
const VALUE_OPTIONS: Readonly<Record<string, string[]>> = {
  head: ['-n', '-c'], tail: ['-n', '-c'], git: ['-m', '--message', '-c', '-C', '-n', '--author', '--format', '-b', '-B'], grep: ['-e', '-m', '-A', '-B', '-C'],
  rg: ['-e', '-g', '-m', '-A', '-B', '-C', '-t', '-T'], sed: ['-e', '-l'], cut: ['-d', '-f', '-c', '-b'], sort: ['-k', '-t', '-S'], wc: [], diff: ['-U', '-C'],
  tar: ['-f', '--file'], ssh: ['-p', '-l', '-o', '-F', '-J', '-b', '-c', '-E', '-L', '-R', '-D', '-W', '-w'], scp: ['-P', '-o', '-F', '-J', '-c', '-l', '-S'],
  rsync: ['-e', '--rsh', '--exclude', '--include', '--filter'], curl: ['-X', '--request', '-H', '--header', '-d', '--data', '--data-binary', '--data-raw', '--data-urlencode', '-F', '--form', '-u', '--user', '-A', '-e', '-m', '--max-time', '-w', '--write-out'],
  wget: ['--header', '--post-data', '-t', '--tries', '-T', '--timeout', '-U'], npm: ['-w', '--workspace'], make: ['-j', '-C', '-f', '-l'], pytest: ['-k', '-m', '-n'],
  docker: ['-e', '-p', '--name', '-w'], xargs: [], ln: [], cp: ['-t', '--target-directory'], mv: ['-t', '--target-directory'], install: ['-m', '-o', '-g', '-t'],
};
const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);

export const pathArgumentRule: CommandRule = (command, context) => {
  const findings: SafetyFinding[] = [];
  const check = (word: ResolvedWord, access: PathAccess): void => {
    if (startsUnknown(word) || /^[a-z][a-z0-9+.-]*:\/\//iu.test(word.text) || word.text === '') return;
    findings.push(...checkPathAccess(word.text, access, pathContextOf(command, context)));
  };
  for (const value of optionValues(command.arguments, OUTPUT_OPTIONS[command.name] ?? [])) check(value, PATH_ACCESS.write);
  for (const word of command.arguments) {
    // `--prefix=/usr/local` only names where a later `make install` writes; it is not checked.
    const assignment = /^(?!--(?:prefix|exec-prefix|target)=)(?:--[\w-]+|if|of)=(.+)$/u.exec(word.text);
    if (assignment?.[1]) check({ ...word, text: assignment[1] }, /^(?:of|--(?:output|out|log-file))=/u.test(word.text) ? PATH_ACCESS.write : PATH_ACCESS.read);
  }
  if (command.name === 'ln' && hasFlag(command.arguments, 's', '--symbolic')) return [...findings, ...symbolicLinkFindings(command, context)];
  const operands = pathOperands(command);
  const inPlace = ['sed', 'perl'].includes(command.name) && command.arguments.some((word) => /^-[a-zA-Z]*i/u.test(word.text) || word.text.startsWith('--in-place'));
  operands.forEach((word, index) => {
    if (/^[\w.-]+=/u.test(word.text) || ((command.name === 'scp' || command.name === 'rsync') && REMOTE_OPERAND.test(word.text))) return;
    const writes = WRITES_ALL.has(command.name) || inPlace || (WRITES_LAST.has(command.name) && index === operands.length - 1 && operands.length > 1);
    check(word, writes ? PATH_ACCESS.write : PATH_ACCESS.read);
  });
  return findings;
};

/** `ln -s TARGET LINK`: TARGET is resolved from the link's folder, and a link out of the workspace is an escape hatch. */
function symbolicLinkFindings(command: EffectiveCommand, context: RuleContext): SafetyFinding[] {
  const operands = operandWords(command.arguments, VALUE_OPTIONS.ln).filter((word) => !startsUnknown(word));
  const pathContext = pathContextOf(command, context);
  const link = operands.length > 1 ? operands[operands.length - 1] : undefined;
  const linkFolder = link ? resolveLexically(link.text.endsWith('/') ? link.text : path.posix.dirname(link.text), pathContext.workingDirectory) : pathContext.workingDirectory;
  const findings = link ? checkPathAccess(link.text, PATH_ACCESS.write, pathContext) : [];
  for (const target of link ? operands.slice(0, -1) : operands) {
    findings.push(...checkPathAccess(target.text, PATH_ACCESS.read, { ...pathContext, workingDirectory: linkFolder }));
  }
  return findings;
}

function pathOperands(command: EffectiveCommand): ResolvedWord[] {
  if (NO_PATH_OPERANDS.has(command.name) || command.invocation.declaration) return [];
  const operands = operandWords(command.arguments, VALUE_OPTIONS[command.name] ?? []);
  if ((SHELLS.has(command.name) || INTERPRETERS.has(command.name)) && command.arguments.some((word) => /^-[a-zA-Z]*[cemr]$|^--eval$/u.test(word.text))) return [];
  if (PATTERN_FIRST.has(command.name) && !command.arguments.some((word) => word.text === '-e' || word.text === '-f' || word.text === '--expression' || word.text === '--file')) {
    return operands.slice(1);
  }
  return operands;
}

/** Files a statement's redirections read or write (`> /etc/hosts`, `< ~/.ssh/id_rsa`, `&> /dev/tcp/…`). */
export function redirectionFindings(invocation: CommandInvocation, context: RuleContext): SafetyFinding[] {
  const pathContext = { workspace: context.workspace, workingDirectory: invocation.workingDirectory, fileSystem: context.fileSystem };
  return invocation.redirects.flatMap((redirect) => {
    const target = redirect.target;
    if (redirect.operator === '<<' || redirect.operator === '<<-' || redirect.operator === '<<<' || startsUnknown(target)) return [];
    if ((redirect.operator === '>&' || redirect.operator === '<&') && /^(?:\d+-?|-)$/u.test(target.text)) return [];
    const access = WRITE_REDIRECTS.has(redirect.operator) || redirect.operator === '>&' ? PATH_ACCESS.write : PATH_ACCESS.read;
    return checkPathAccess(target.text, access, pathContext);
  });
}
