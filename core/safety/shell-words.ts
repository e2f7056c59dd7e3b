// Turns a parsed shell word into the value the shell would pass: quotes removed, backslashes and
// $'…' escapes applied, known variables filled in, run-time parts marked (quoting tricks like
// "r""m", r\m or $'\x72m' all come out as `rm`).
import type { CommandInvocation, ResolvedWord, WordSubstitution } from './shell-invocation';
import type { ShellStatement, ShellWord, ShellWordPart } from './shell-syntax-tree';
import { DEFAULT_FIELD_SEPARATORS, FIELD_SEPARATOR, markFields } from './word-expansion';

export type WordScope = {
  variables: ReadonlyMap<string, string>;
  workingDirectory: string | undefined;
  /** Flattens the statements of a substitution into invocations (which the caller also records). */
  expand(statements: ShellStatement[], kind: WordSubstitution['kind']): CommandInvocation[];
};

/** Stand-in for a command substitution's output in a word's text. */
export const SUBSTITUTION_PLACEHOLDER = '$(…)';
/** What bash passes for `<(…)` and `>(…)`. */
export const PROCESS_SUBSTITUTION_PATH = '/dev/fd/63';

/**
 * `splitting` marks where unquoted expansions split the word into fields (see word-expansion.ts);
 * bash splits command arguments but not assignments or redirection targets.
 */
export function resolveWord(word: ShellWord, scope: WordScope, options: { splitting?: boolean } = {}): ResolvedWord {
  const resolved: ResolvedWord = { text: '', dynamic: false, unknownParts: [], globbing: false, bracing: false, substitutions: [] };
  appendParts(word.parts, false, resolved, { ...scope, splitting: options.splitting === true });
  return resolved;
}

type PartScope = WordScope & { splitting: boolean };

/** True when the word's value begins with something only known at run time. */
export function startsUnknown(word: ResolvedWord): boolean {
  return word.text.startsWith('${') || word.text.startsWith(SUBSTITUTION_PLACEHOLDER);
}

function appendParts(parts: readonly ShellWordPart[], quoted: boolean, resolved: ResolvedWord, scope: PartScope): void {
  for (const part of parts) {
    switch (part.type) {
      case 'literal':
        if (!quoted && hasUnescapedGlob(part.value)) resolved.globbing = true;
        if (!quoted && /\{[^}]*(?:,|\.\.)[^}]*\}/u.test(part.value)) resolved.bracing = true;
        resolved.text += quoted ? unescapeDoubleQuoted(part.value) : unescapeUnquoted(part.value);
        break;
      case 'single-quoted':
        resolved.text += part.ansiC ? decodeAnsiC(part.value) : part.value;
        break;
      case 'double-quoted':
        appendParts(part.parts, true, resolved, scope);
        break;
      case 'parameter': {
        const known = part.plain ? lookUp(part.name, scope) : undefined;
        if (part.nested.length > 0) resolved.substitutions.push({ kind: 'command', invocations: scope.expand(part.nested, 'command') });
        if (part.plain && part.name === 'IFS' && known === undefined) {
          resolved.text += quoted || !scope.splitting ? ' ' : FIELD_SEPARATOR;
          break;
        }
        if (known !== undefined) {
          resolved.text += splitUnquoted(known, quoted, scope);
          break;
        }
        markUnknown(resolved, `\${${part.name}}`);
        break;
      }
      case 'command-substitution': {
        const invocations = scope.expand(part.statements, 'command');
        resolved.substitutions.push({ kind: 'command', invocations });
        const output = staticOutput(invocations, scope.workingDirectory);
        if (output !== undefined) resolved.text += splitUnquoted(output, quoted, scope);
        else markUnknown(resolved, SUBSTITUTION_PLACEHOLDER);
        break;
      }
      case 'process-substitution': {
        const kind = part.direction === 'input' ? 'process-input' : 'process-output';
        resolved.substitutions.push({ kind, invocations: scope.expand(part.statements, kind) });
        resolved.text += PROCESS_SUBSTITUTION_PATH;
        break;
      }
      case 'opaque':
        if (part.nested.length > 0) resolved.substitutions.push({ kind: 'command', invocations: scope.expand(part.nested, 'command') });
        if (part.kind === 'ExtGlob') {
          resolved.globbing = true;
          resolved.text += '*';
        } else {
          markUnknown(resolved, `\${${part.kind}}`);
        }
        break;
    }
  }
}

/** Unquoted expansions are split on IFS; quoted ones, and words bash never splits, are not. */
function splitUnquoted(value: string, quoted: boolean, scope: PartScope): string {
  return quoted || !scope.splitting ? value : markFields(value, scope.variables.get('IFS') ?? DEFAULT_FIELD_SEPARATORS);
}

/** What `$(echo rm)`, `$(printf '\x72m')` or `$(pwd)` prints when that is fixed text (trailing newlines dropped). */
function staticOutput(invocations: readonly CommandInvocation[], workingDirectory: string | undefined): string | undefined {
  const [only] = invocations;
  if (invocations.length !== 1 || !only || only.redirects.length > 0 || only.upstream.length > 0) return undefined;
  const [program, ...rest] = only.words;
  if (!program || only.words.some((word) => word.dynamic)) return undefined;
  if (program.text === 'pwd') return workingDirectory;
  if (program.text === 'echo') {
    const escapes = /^-[nE]*e[nE]*$/u.test(rest[0]?.text ?? '');
    const text = rest.filter((word, index) => index > 0 || !/^-[neE]+$/u.test(word.text)).map((word) => word.text).join(' ');
    return escapes ? decodeAnsiC(text) : text;
  }
  if (program.text === 'printf' && rest.length === 1 && !rest[0]?.text.includes('%')) return decodeAnsiC(rest[0]?.text ?? '').replace(/\n+$/u, '');
  return undefined;
}

function markUnknown(resolved: ResolvedWord, placeholder: string): void {
  resolved.dynamic = true;
  resolved.text += placeholder;
  resolved.unknownParts.push(placeholder);
}

function lookUp(name: string, scope: WordScope): string | undefined {
  const assigned = scope.variables.get(name);
  if (assigned !== undefined) return assigned;
  if (name === 'HOME') return '~';
  if (name === 'PWD') return scope.workingDirectory;
  if (name === 'TMPDIR') return '/tmp';
  return undefined;
}

function hasUnescapedGlob(raw: string): boolean {
  for (let index = 0; index < raw.length; index++) {
    if (raw[index] === '\\') index++;
    else if ('*?['.includes(raw[index] ?? '')) return true;
  }
  return false;
}

function unescapeUnquoted(raw: string): string {
  return raw.replace(/\\(\n|.)/gsu, (_match, character: string) => (character === '\n' ? '' : character));
}

function unescapeDoubleQuoted(raw: string): string {
  return raw.replace(/\\([$`"\\\n])/gu, (_match, character: string) => (character === '\n' ? '' : character));
}

const ANSI_C_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Bash's $'…' escapes: \n, \xHH, \NNN octal, \uHHHH, \UHHHHHHHH, \cX. */
export function decodeAnsiC(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gsu, (match, escape: string) => {
    const head = escape[0] ?? '';
    if (head === 'x' || head === 'u' || head === 'U') return safeCodePoint(Number.parseInt(escape.slice(1), 16), match);
    if (/[0-7]/u.test(head)) return safeCodePoint(Number.parseInt(escape, 8), match);
    if (head === 'c' && escape.length === 2) return String.fromCharCode((escape.charCodeAt(1) & 0x1f) >>> 0);
    return ANSI_C_ESCAPES[escape] ?? match;
  });
}

function safeCodePoint(codePoint: number, fallback: string): string {
  return Number.isFinite(codePoint) && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : fallback;
}
