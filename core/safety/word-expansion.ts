// The expansions that turn one shell word into several: field splitting of unquoted expansions
// (`x="rm -rf /"; $x`, `cat${IFS}/etc/passwd`) and brace expansion (`{rm,-rf,/}`).
import type { ResolvedWord } from './shell-invocation';

/** Marks where an unquoted expansion splits a word (a control character no command text contains). */
export const FIELD_SEPARATOR = '\u001f';
export const DEFAULT_FIELD_SEPARATORS = ' \t\n';
/** Brace expressions expand to at most this many words; the rest are not considered. */
export const MAX_BRACE_WORDS = 64;

/** Replaces every separator character in an unquoted expansion's value with the field marker. */
export function markFields(value: string, separators: string): string {
  let marked = '';
  for (const character of value) marked += separators.includes(character) ? FIELD_SEPARATOR : character;
  return marked;
}

/** The words a resolved word becomes after field splitting and brace expansion. */
export function expandWord(word: ResolvedWord): ResolvedWord[] {
  const fields = word.text.includes(FIELD_SEPARATOR)
    ? word.text.split(FIELD_SEPARATOR).filter((text) => text !== '').map((text) => ({ ...word, text }))
    : [word];
  return fields.flatMap((field) => (field.bracing ? expandBraces(field.text).map((text) => ({ ...field, text, bracing: false })) : [field]));
}

/** Text with split markers turned back into spaces, for places where bash does not split (redirections). */
export function joinFields(word: ResolvedWord): ResolvedWord {
  return word.text.includes(FIELD_SEPARATOR) ? { ...word, text: word.text.replaceAll(FIELD_SEPARATOR, ' ') } : word;
}

/** Bash brace expansion of `a{b,c}d` and `{1..3}`, nested braces included. */
export function expandBraces(text: string): string[] {
  const expression = findBraceExpression(text);
  if (!expression) return [text];
  const { start, end, alternatives } = expression;
  const results: string[] = [];
  for (const alternative of alternatives) {
    for (const expanded of expandBraces(text.slice(0, start) + alternative + text.slice(end + 1))) {
      results.push(expanded);
      if (results.length >= MAX_BRACE_WORDS) return results;
    }
  }
  return results;
}

function findBraceExpression(text: string): { start: number; end: number; alternatives: string[] } | undefined {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let index = start; index < text.length; index++) {
      const character = text[index];
      if (character === '{') depth++;
      else if (character === ',' && depth === 1) commas.push(index);
      else if (character === '}' && --depth === 0) {
        const inner = text.slice(start + 1, index);
        if (commas.length > 0) {
          const bounds = [start, ...commas, index];
          return { start, end: index, alternatives: bounds.slice(0, -1).map((bound, position) => text.slice(bound + 1, bounds[position + 1])) };
        }
        const range = sequence(inner);
        if (range) return { start, end: index, alternatives: range };
        break;
      }
    }
  }
  return undefined;
}

function sequence(inner: string): string[] | undefined {
  const numbers = /^(-?\d+)\.\.(-?\d+)$/u.exec(inner);
  const letters = /^([a-zA-Z])\.\.([a-zA-Z])$/u.exec(inner);
  const [from, to] = numbers ? [Number(numbers[1]), Number(numbers[2])] : letters ? [letters[1]!.charCodeAt(0), letters[2]!.charCodeAt(0)] : [];
  if (from === undefined || to === undefined) return undefined;
  const step = from <= to ? 1 : -1;
  const values: string[] = [];
  for (let value = from; values.length < MAX_BRACE_WORDS; value += step) {
    values.push(numbers ? String(value) : String.fromCharCode(value));
    if (value === to) break;
  }
  return values;
}
