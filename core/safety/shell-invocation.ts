// One command as the shell would run it: its words with quoting removed and known variables filled
// in, its redirections, what is piped into it and the directory it runs in.
import type { RedirectOperator } from './shell-syntax-tree';

export type WordSubstitution = {
  kind: 'command' | 'process-input' | 'process-output';
  invocations: CommandInvocation[];
};

export type ResolvedWord = {
  /** The word's value; run-time parts appear as `${NAME}` or `$(…)`. */
  text: string;
  /** Part of the value is only known at run time. */
  dynamic: boolean;
  /** The unknown variables and substitutions, as shown in messages. */
  unknownParts: string[];
  /** Unquoted `*`, `?` or `[` that the shell expands to file names. */
  globbing: boolean;
  /** Unquoted `{a,b}` or `{1..3}` that bash expands into several words. */
  bracing: boolean;
  substitutions: WordSubstitution[];
};

export type ResolvedRedirect = {
  operator: RedirectOperator;
  descriptor?: string;
  target: ResolvedWord;
  hereDocument?: ResolvedWord;
};

export type InvocationOrigin = 'script' | 'command-substitution' | 'process-substitution' | 'function-body';

export type CommandInvocation = {
  words: ResolvedWord[];
  /** `NAME=value` prefixes that apply to this command only. */
  environment: Array<{ name: string; value: ResolvedWord }>;
  redirects: ResolvedRedirect[];
  /** Commands whose output is piped into this one (directly or further up the pipeline). */
  upstream: CommandInvocation[];
  inPipeline: boolean;
  background: boolean;
  /** Absolute directory it runs in; undefined after a `cd` to a run-time location. */
  workingDirectory: string | undefined;
  origin: InvocationOrigin;
  /** For `export`/`declare`/`local`…: the keyword, with the operands as words. */
  declaration?: string;
};

export type FunctionDefinition = { name: string; invocations: CommandInvocation[] };

export type FlattenedScript = {
  invocations: CommandInvocation[];
  functions: FunctionDefinition[];
  /** Variables with values known from literal assignments, as the script leaves them. */
  variables: Map<string, string>;
};
