// Sees through commands that run other commands (sudo, env, command, exec, nice, timeout, xargs,
// busybox, find -exec…) so rules judge the program that really runs, with its real arguments.
import path from 'node:path';
import { literalWord } from './shell-flattening';
import type { CommandInvocation, ResolvedWord } from './shell-invocation';

export type EffectiveCommand = {
  /** Base name of the program that runs (`rm` for `sudo /bin/rm`); '' for a bare redirection. */
  name: string;
  programWord?: ResolvedWord;
  arguments: ResolvedWord[];
  invocation: CommandInvocation;
  /** Wrappers it was found under, outermost first. */
  wrappers: string[];
  /** Runs under sudo, doas, su, pkexec or chroot. */
  elevated: boolean;
  /** More arguments arrive on standard input (xargs). */
  argumentsFromInput: boolean;
};

type WrapperSpecification = {
  valueOptions?: readonly string[];
  /** Operands before the command, e.g. the duration of `timeout 5 cmd`. */
  positionals?: number;
  elevates?: boolean;
  argumentsFromInput?: boolean;
  skipsAssignments?: boolean;
};

export const WRAPPERS: Readonly<Record<string, WrapperSpecification>> = {
  sudo: { elevates: true, valueOptions: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '--user', '--group', '--host', '--prompt', '--chdir', '--role', '--type', '--other-user', '--close-from', '--command-timeout'] },
  doas: { elevates: true, valueOptions: ['-u', '-C'] },
  pkexec: { elevates: true, valueOptions: ['--user'] },
  chroot: { elevates: true, positionals: 1, valueOptions: ['--userspec', '--groups'] },
  env: { skipsAssignments: true, valueOptions: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'] },
  command: {},
  builtin: {},
  exec: { valueOptions: ['-a'] },
  nohup: {},
  setsid: {},
  unbuffer: {},
  busybox: {},
  nice: { valueOptions: ['-n', '--adjustment'] },
  ionice: { valueOptions: ['-c', '-n', '-p', '--class', '--classdata'] },
  time: { valueOptions: ['-f', '-o', '--format', '--output'] },
  timeout: { positionals: 1, valueOptions: ['-s', '-k', '--signal', '--kill-after'] },
  stdbuf: { valueOptions: ['-i', '-o', '-e'] },
  chrt: { positionals: 1 },
  taskset: { positionals: 1 },
  strace: { valueOptions: ['-o', '-e', '-p', '-s', '-u', '-a', '-P', '-I', '-b', '-E', '-S', '-X'] },
  ltrace: { valueOptions: ['-o', '-e', '-p', '-s', '-u', '-a', '-n', '-l'] },
  xargs: {
    argumentsFromInput: true,
    valueOptions: ['-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s', '--arg-file', '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs', '--max-chars', '--process-slot-var'],
  },
};

const FIND_EXEC_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir']);

export function programName(word: ResolvedWord | undefined): string {
  if (!word) return '';
  return word.dynamic ? word.text : path.posix.basename(word.text);
}

/** The commands an invocation really runs: the unwrapped program plus any `find -exec` commands. */
export function unwrapInvocation(invocation: CommandInvocation): EffectiveCommand[] {
  const found: EffectiveCommand[] = [];
  unwrap(invocation.words, { invocation, wrappers: [], elevated: false, argumentsFromInput: false }, found);
  return found;
}

type Surroundings = Pick<EffectiveCommand, 'invocation' | 'wrappers' | 'elevated' | 'argumentsFromInput'>;

function unwrap(words: readonly ResolvedWord[], surroundings: Surroundings, found: EffectiveCommand[]): void {
  const name = programName(words[0]);
  if (name === 'parallel' && words.some((word) => word.text === ':::')) {
    // GNU parallel: `parallel CMD ::: A B` runs `CMD A` and `CMD B`.
    const separator = words.findIndex((word) => word.text === ':::');
    const command = skipWrapperOptions(words.slice(1, separator), { valueOptions: ['-j', '--jobs', '-S', '--sshlogin'] });
    for (const argument of words.slice(separator + 1).filter((word) => word.text !== ':::')) {
      unwrap([...command, argument], { ...surroundings, wrappers: [...surroundings.wrappers, 'parallel'] }, found);
    }
    return;
  }
  const specification = WRAPPERS[name];
  const lookupOnly = name === 'command' && words.slice(1).some((word) => word.text === '-v' || word.text === '-V');
  const rest = specification && !lookupOnly ? skipWrapperOptions(words.slice(1), specification) : [];
  if (!specification || lookupOnly || rest.length === 0) {
    found.push({ name, programWord: words[0], arguments: words.slice(1), ...surroundings });
    if (name === 'find') unwrapFindActions(words.slice(1), surroundings, found);
    return;
  }
  unwrap(rest, {
    invocation: surroundings.invocation,
    wrappers: [...surroundings.wrappers, name],
    elevated: surroundings.elevated || specification.elevates === true,
    argumentsFromInput: surroundings.argumentsFromInput || specification.argumentsFromInput === true,
  }, found);
}

function skipWrapperOptions(words: readonly ResolvedWord[], specification: WrapperSpecification): ResolvedWord[] {
  let index = 0;
  while (index < words.length) {
    const text = words[index]?.text ?? '';
    if (text === '--') {
      index++;
      break;
    }
    if (specification.skipsAssignments && /^[A-Za-z_][A-Za-z0-9_]*=/u.test(text)) index++;
    else if (!text.startsWith('-') || text === '-') break;
    else index += specification.valueOptions?.includes(text) ? 2 : 1;
  }
  return words.slice(Math.min(words.length, index + (specification.positionals ?? 0)));
}

/** `find START… -exec CMD {} ;` runs CMD on entries under START; `{}` becomes `START/{}`. */
function unwrapFindActions(findArguments: readonly ResolvedWord[], surroundings: Surroundings, found: EffectiveCommand[]): void {
  const firstExpression = findArguments.findIndex((word) => /^[-(!]/u.test(word.text));
  const starts = (firstExpression === -1 ? findArguments : findArguments.slice(0, firstExpression)).map((word) => word.text);
  const startPaths = starts.length > 0 ? starts : ['.'];
  for (let index = 0; index < findArguments.length; index++) {
    if (!FIND_EXEC_ACTIONS.has(findArguments[index]?.text ?? '')) continue;
    const end = findArguments.findIndex((word, position) => position > index && (word.text === ';' || word.text === '+'));
    const command = findArguments.slice(index + 1, end === -1 ? undefined : end);
    for (const start of startPaths) {
      const replaced = command.map((word) => (word.text.includes('{}') ? { ...word, text: word.text.replaceAll('{}', `${start.replace(/\/+$/u, '')}/{}`) } : word));
      unwrap(replaced.length > 0 ? replaced : [literalWord('')], { ...surroundings, wrappers: [...surroundings.wrappers, 'find'] }, found);
    }
    if (end === -1) break;
    index = end;
  }
}
