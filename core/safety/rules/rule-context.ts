// What every command rule receives and returns, and helpers to read a command's options and
// operands the way most Unix tools parse them.
import type { EffectiveCommand } from '../command-unwrapping';
import type { PathContext, RealpathReader } from '../path-confinement';
import type { SafetyPolicy } from '../safety-policy';
import type { ResolvedWord } from '../shell-invocation';
import type { SafetyFinding } from '../validation-result';

export type RuleContext = {
  /** Absolute, real path of the workspace. */
  workspace: string;
  fileSystem?: RealpathReader;
  policy: SafetyPolicy;
};

export type CommandRule = (command: EffectiveCommand, context: RuleContext) => SafetyFinding[];

export function pathContextOf(command: EffectiveCommand, context: RuleContext): PathContext {
  return { workspace: context.workspace, workingDirectory: command.invocation.workingDirectory, fileSystem: context.fileSystem };
}

/** Words before `--` that are options (`-rf`, `--force`, `--out=x`). */
export function optionWords(words: readonly ResolvedWord[]): ResolvedWord[] {
  const end = words.findIndex((word) => word.text === '--');
  return (end === -1 ? words : words.slice(0, end)).filter((word) => /^-./u.test(word.text));
}

/** Non-option words (everything after `--`), skipping the values of `valueOptions`. */
export function operandWords(words: readonly ResolvedWord[], valueOptions: readonly string[] = []): ResolvedWord[] {
  const operands: ResolvedWord[] = [];
  let optionsEnded = false;
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (!word) continue;
    if (!optionsEnded && word.text === '--') optionsEnded = true;
    else if (!optionsEnded && /^-./u.test(word.text)) index += valueOptions.includes(word.text) ? 1 : 0;
    else operands.push(word);
  }
  return operands;
}

/** A short flag, alone or bundled (`-r`, `-rf`, `-fr`), or one of the long names given. */
export function hasFlag(words: readonly ResolvedWord[], letter: string, ...longNames: string[]): boolean {
  return optionWords(words).some((word) =>
    word.text.startsWith('--') ? longNames.some((name) => word.text === name || word.text.startsWith(`${name}=`)) : word.text.slice(1).includes(letter),
  );
}

/** Values of an option given as `-o VALUE`, `-oVALUE`, `--output VALUE` or `--output=VALUE`. */
export function optionValues(words: readonly ResolvedWord[], names: readonly string[]): ResolvedWord[] {
  const values: ResolvedWord[] = [];
  words.forEach((word, index) => {
    for (const name of names) {
      const next = words[index + 1];
      if (word.text === name && next) values.push(next);
      else if (name.startsWith('--') && word.text.startsWith(`${name}=`)) values.push({ ...word, text: word.text.slice(name.length + 1) });
      else if (!name.startsWith('--') && name.length === 2 && word.text.startsWith(name) && word.text.length > 2) values.push({ ...word, text: word.text.slice(2) });
    }
  });
  return values;
}

export function firstOperand(command: EffectiveCommand): string | undefined {
  return operandWords(command.arguments)[0]?.text;
}
