// Finds shell code hidden inside a command so it can be analysed too: `bash -c "…"`, `eval`,
// `su -c`, `alias`, `trap`, `watch`, `env -S`, here-documents fed to a shell and `echo … | sh`.
import { programName, type EffectiveCommand } from './command-unwrapping';
import type { CommandInvocation } from './shell-invocation';

export type NestedSource = { text: string; via: string; dynamic: boolean };

export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'fish', 'rbash', 'yash', 'tcsh', 'csh']);
export const INTERPRETERS: ReadonlySet<string> = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'nodejs', 'php', 'lua', 'deno', 'bun', 'Rscript', 'tclsh', 'pwsh']);

export function nestedSources(command: EffectiveCommand): NestedSource[] {
  const texts = command.arguments;
  // Wrapped calls (`env -S`, `watch`) are unwrapped already when they run a plain command.
  const joined = (from: number): NestedSource[] => {
    const words = texts.slice(from);
    return words.length === 0 ? [] : [{ text: words.map((word) => word.text).join(' '), via: command.name, dynamic: words.some((word) => word.dynamic) }];
  };
  const optionValue = (options: readonly string[]): NestedSource[] => {
    const index = texts.findIndex((word) => options.includes(word.text));
    const inline = texts.find((word) => options.some((option) => option.startsWith('--') && word.text.startsWith(`${option}=`)));
    if (inline) return [{ text: inline.text.slice(inline.text.indexOf('=') + 1), via: command.name, dynamic: inline.dynamic }];
    const value = index === -1 ? undefined : texts[index + 1];
    return value ? [{ text: value.text, via: command.name, dynamic: value.dynamic }] : [];
  };
  switch (command.name) {
    case 'eval':
      return joined(0);
    case 'su':
    case 'runuser':
    case 'flock':
    case 'script':
      return optionValue(['-c', '--command']);
    case 'env':
      return splitStringSources(texts);
    case 'trap':
      return texts[0] && !texts[0].text.startsWith('-') ? [{ text: texts[0].text, via: 'trap', dynamic: texts[0].dynamic }] : [];
    case 'alias':
      return texts.filter((word) => word.text.includes('=')).map((word) => ({ text: word.text.slice(word.text.indexOf('=') + 1), via: 'alias', dynamic: word.dynamic }));
    case 'watch':
      return joined(skipOptions(texts.map((word) => word.text), ['-n', '--interval', '-q', '--equexit']));
    default:
      return SHELLS.has(command.name) ? shellSources(command) : [];
  }
}

/** `env -S 'cmd args'` splits its string into a command line. */
function splitStringSources(words: EffectiveCommand['arguments']): NestedSource[] {
  const index = words.findIndex((word) => /^(?:-S|--split-string)(?:=|$)/u.test(word.text));
  const option = words[index];
  if (!option) return [];
  const inline = option.text.includes('=') ? [option.text.slice(option.text.indexOf('=') + 1)] : [];
  const text = [...inline, ...words.slice(index + 1).map((word) => word.text)].join(' ');
  return [{ text, via: 'env -S', dynamic: words.some((word) => word.dynamic) }];
}

/** A shell's code: the `-c` string, or what it reads on standard input. */
function shellSources(command: EffectiveCommand): NestedSource[] {
  const texts = command.arguments.map((word) => word.text);
  const firstOperand = skipOptions(texts, ['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);
  const hasCommandOption = texts.slice(0, firstOperand).some((text) => /^-[a-zA-Z]*c[a-zA-Z]*$/u.test(text));
  if (hasCommandOption) {
    const code = command.arguments[firstOperand];
    return code ? [{ text: code.text, via: `${command.name} -c`, dynamic: code.dynamic }] : [];
  }
  if (!readsStandardInput(command)) return [];
  return standardInputSources(command.invocation, command.name);
}

/** Whether a shell or interpreter takes its program from standard input (no script operand, or `-`). */
export function readsStandardInput(command: EffectiveCommand): boolean {
  const texts = command.arguments.map((word) => word.text);
  if (INTERPRETERS.has(command.name) && texts.some((text) => /^-(?:c|e|E|r|p|m|-eval|-print)$/u.test(text))) return false;
  if (SHELLS.has(command.name) && texts.some((text) => /^-[a-zA-Z]*c[a-zA-Z]*$/u.test(text))) return false;
  const operand = texts[skipOptions(texts, ['-o', '+o', '-O', '+O', '--rcfile', '--init-file', '-W', '-X', '-m', '-I', '-M', '-r'])];
  return operand === undefined || operand === '-' || texts.includes('-s');
}

/** Text fed to standard input by here-documents, here-strings or `echo`/`printf` upstream in a pipe. */
export function standardInputSources(invocation: CommandInvocation, via: string): NestedSource[] {
  const sources: NestedSource[] = [];
  for (const redirect of invocation.redirects) {
    if ((redirect.operator === '<<' || redirect.operator === '<<-') && redirect.hereDocument) {
      sources.push({ text: redirect.hereDocument.text, via: `${via} <<here-document`, dynamic: redirect.hereDocument.dynamic });
    }
    if (redirect.operator === '<<<') sources.push({ text: redirect.target.text, via: `${via} <<<`, dynamic: redirect.target.dynamic });
  }
  for (const upstream of invocation.upstream) {
    const name = programName(upstream.words[0]);
    if (name === 'cat' && upstream.words.length === 1) sources.push(...standardInputSources({ ...upstream, upstream: [] }, `cat | ${via}`));
    if (name !== 'echo' && name !== 'printf') continue;
    const words = upstream.words.slice(1).filter((word, index) => index > 0 || !/^-[neE]+$/u.test(word.text));
    const text = words.map((word) => (name === 'printf' ? unescapePrintf(word.text) : word.text)).join(' ');
    sources.push({ text, via: `${name} | ${via}`, dynamic: words.some((word) => word.dynamic) });
  }
  return sources;
}

/** Index of the first operand after options (and the values of `valueOptions`). */
export function skipOptions(texts: readonly string[], valueOptions: readonly string[]): number {
  let index = 0;
  while (index < texts.length) {
    const text = texts[index] ?? '';
    if (text === '--') return index + 1;
    if (!/^[-+]./u.test(text)) return index;
    index += valueOptions.includes(text) ? 2 : 1;
  }
  return index;
}

function unescapePrintf(text: string): string {
  return text.replace(/\\n/gu, '\n').replace(/\\x([0-9a-fA-F]{2})/gu, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
