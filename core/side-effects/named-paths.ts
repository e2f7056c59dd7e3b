// Which workspace paths a tool call names, and so may change without surprise. write_file and
// edit_file name their path. For bash the rule is deliberately simple and errs towards flagging:
// every word and redirection target of every command the parsed script runs (through pipes,
// substitutions, `cd` and wrappers) that resolves inside the workspace names that path, and with
// it everything below it (a folder named by `rm -r build` or `cp -r src out`) and the folders
// above it (created by `mkdir -p a/b`). `--option=value` names its value. A word with unquoted
// glob characters names the existing paths it matches (expanded against the snapshot taken before
// the call, as bash did); a word with a run-time part (`$NAME`, `$(…)`) names whatever the
// unknown part could stand for. Anything a program writes that the command does not name (a
// build's outputs, `npm install`'s node_modules, a `git commit`'s .git) is unexpected.
import path from 'node:path';
import { flattenScript, parseShell, type ResolvedWord } from '../safety';
import { TOOL_NAMES } from '../tool-names';

export type NamedPaths = {
  /** Workspace-relative paths named literally. */
  literal: string[];
  /** Patterns (anchored regular expressions over workspace-relative paths) from globs and run-time words. */
  patterns: Array<{ pattern: RegExp; onlyExisting: boolean }>;
  /** The command could not be parsed, so it names nothing we can trust. */
  unparseable?: boolean;
};

const DIRECTORY_CHANGERS = new Set(['cd', 'pushd', 'popd']);

export type ToolCallPaths = {
  toolName: string;
  arguments: Record<string, unknown>;
  workspace: string;
  /**
   * The workspace-relative path write_file / edit_file reported writing (percent-decoded, symlinks
   * followed), which can differ from the argument's spelling.
   */
  resolvedPath?: string;
};

export function namedPaths(call: ToolCallPaths): NamedPaths {
  if (call.toolName === TOOL_NAMES.writeFile || call.toolName === TOOL_NAMES.editFile) {
    const target = call.arguments.path;
    const relative = typeof target === 'string' ? workspaceRelative(target, call.workspace, call.workspace) : undefined;
    const literal = [relative, call.resolvedPath === '.' ? '' : call.resolvedPath].filter((item): item is string => item !== undefined);
    return { literal: [...new Set(literal)], patterns: [] };
  }
  if (call.toolName === TOOL_NAMES.bash && typeof call.arguments.command === 'string') return commandPaths(call.arguments.command, call.workspace);
  return { literal: [], patterns: [] };
}

function commandPaths(command: string, workspace: string): NamedPaths {
  const parsed = parseShell(command);
  if (!parsed.ok) return { literal: [], patterns: [], unparseable: true };
  const script = flattenScript(parsed.script, { workingDirectory: workspace });
  const named: NamedPaths = { literal: [], patterns: [] };
  for (const invocation of script.invocations) {
    // Changing folder names no target: `cd sub && touch x` names sub/x, not everything in sub.
    if (DIRECTORY_CHANGERS.has(invocation.words[0]?.text ?? '')) continue;
    const words = [...invocation.words, ...invocation.redirects.map((redirect) => redirect.target)];
    for (const word of words) addWord(named, word, invocation.workingDirectory ?? workspace, workspace);
  }
  return named;
}

function addWord(named: NamedPaths, word: ResolvedWord, workingDirectory: string, workspace: string): void {
  const text = word.text.startsWith('-') ? optionValue(word.text) : word.text;
  if (text === undefined || text === '') return;
  if (!word.dynamic && !word.globbing) {
    const relative = workspaceRelative(text, workingDirectory, workspace);
    if (relative !== undefined) named.literal.push(relative);
    return;
  }
  const absolute = word.dynamic && startsWithUnknown(text) ? undefined : resolveText(text, workingDirectory);
  const relative = absolute === undefined ? text : absolute === workspace ? '' : absolute.startsWith(`${workspace}/`) ? absolute.slice(workspace.length + 1) : undefined;
  if (relative === undefined) return;
  const source = absolute === undefined ? `(?:.*/)?${patternSource(relative)}` : patternSource(relative);
  named.patterns.push({ pattern: new RegExp(`^${source}$`, 'u'), onlyExisting: !word.dynamic });
}

/** `--output=file` names file; other options name nothing. */
function optionValue(text: string): string | undefined {
  const equals = text.indexOf('=');
  return text.startsWith('--') && equals > 0 ? text.slice(equals + 1) : undefined;
}

function startsWithUnknown(text: string): boolean {
  return text.startsWith('${') || text.startsWith('$(');
}

function resolveText(text: string, workingDirectory: string): string {
  return path.posix.resolve(workingDirectory, text);
}

/** Inside the workspace: its relative path ('' for the workspace itself); outside: undefined. */
function workspaceRelative(text: string, workingDirectory: string, workspace: string): string | undefined {
  const absolute = text === '~' || text.startsWith('~/') ? path.posix.join(workspace, text.slice(1)) : resolveText(text, workingDirectory);
  if (absolute === workspace) return '';
  return absolute.startsWith(`${workspace}/`) ? absolute.slice(workspace.length + 1) : undefined;
}

/** Glob characters and run-time parts (`${NAME}`, `$(…)`) become regular-expression wildcards; the rest is literal. */
function patternSource(text: string): string {
  let source = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    const rest = text.slice(index);
    const unknown = /^\$\{[^}]*\}|^\$\(…\)/u.exec(rest);
    if (unknown) {
      source += '.*';
      index += unknown[0].length - 1;
    } else if (character === '*') {
      source += '[^/]*';
    } else if (character === '?') {
      source += '[^/]';
    } else if (character === '[') {
      const close = text.indexOf(']', index + 2);
      if (close === -1) source += '\\[';
      else {
        source += `[${text.slice(index + 1, close).replace(/^!/u, '^').replace(/[\\\]]/gu, '\\$&')}]`;
        index = close;
      }
    } else {
      source += character.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
    }
  }
  return source;
}

/**
 * Whether a changed path is covered by what the call named: the path itself, anything below a named
 * path, or a folder above one. Glob patterns only cover paths that existed before the call.
 */
export function isNamed(named: NamedPaths, item: string, existedBefore: boolean): boolean {
  for (const literal of named.literal) {
    if (literal === '' || item === literal || item.startsWith(`${literal}/`) || literal.startsWith(`${item}/`)) return true;
  }
  for (const { pattern, onlyExisting } of named.patterns) {
    if (onlyExisting && !existedBefore) continue;
    const segments = item.split('/');
    // The path or one of its folders matches (a matched folder covers its contents).
    for (let length = 1; length <= segments.length; length += 1) {
      if (pattern.test(segments.slice(0, length).join('/'))) return true;
    }
  }
  return false;
}
