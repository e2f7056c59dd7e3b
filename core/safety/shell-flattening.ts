// Flattens a parsed script into the list of command invocations it can run, following pipes,
// substitutions, functions and compound commands, tracking literal variables and `cd`.
import { HOME_PLACEHOLDER, resolveLexically } from './path-confinement';
import type { CommandInvocation, FlattenedScript, InvocationOrigin, ResolvedWord } from './shell-invocation';
import type { ShellAssignment, ShellScript, ShellStatement } from './shell-syntax-tree';
import { resolveWord, type WordScope } from './shell-words';
import { expandWord, joinFields } from './word-expansion';

export type FlattenOptions = { workingDirectory: string | undefined; variables?: ReadonlyMap<string, string> };

type Frame = {
  background: boolean;
  inPipeline: boolean;
  upstream: CommandInvocation[];
  origin: InvocationOrigin;
  /** Lists that also receive each invocation (pipeline sides, function bodies, substitutions). */
  collectors: CommandInvocation[][];
};

export function flattenScript(script: ShellScript, options: FlattenOptions): FlattenedScript {
  const flattener = new ScriptFlattener(options);
  for (const statement of script.statements) {
    flattener.visit(statement, { background: false, inPipeline: false, upstream: [], origin: 'script', collectors: [] });
  }
  return { invocations: flattener.invocations, functions: flattener.functions, variables: flattener.variables };
}

class ScriptFlattener {
  readonly invocations: CommandInvocation[] = [];
  readonly functions: FlattenedScript['functions'] = [];
  variables: Map<string, string>;
  private workingDirectory: string | undefined;

  constructor(options: FlattenOptions) {
    this.variables = new Map(options.variables ?? []);
    this.workingDirectory = options.workingDirectory;
  }

  visit(statement: ShellStatement, outer: Frame): void {
    const frame = { ...outer, background: outer.background || statement.background };
    // What this statement's command outputs (and what is piped into it) feeds any `>(…)` it contains.
    const feeding: CommandInvocation[] = [...frame.upstream];
    const scope = this.scope(feeding);
    const redirects = statement.redirects.map((redirect) => ({
      operator: redirect.operator,
      descriptor: redirect.descriptor,
      target: joinFields(resolveWord(redirect.target, scope)),
      hereDocument: redirect.hereDocument ? resolveWord(redirect.hereDocument, scope) : undefined,
    }));
    const command = statement.command;
    if (!command) {
      if (redirects.length > 0) this.record({ words: [], environment: [], redirects }, frame, feeding);
      return;
    }
    switch (command.type) {
      case 'call': {
        const environment = this.resolveAssignments(command.assignments, scope);
        const words = command.words.flatMap((word) => expandWord(resolveWord(word, scope, { splitting: true })));
        if (words.length === 0) for (const assignment of environment) this.assign(assignment.name, assignment.value);
        this.record({ words, environment, redirects }, frame, feeding);
        this.trackDirectoryChange(words);
        return;
      }
      case 'declaration': {
        const operands = command.operands.map((operand) => this.resolveOperand(operand, scope));
        const words = [literalWord(command.variant), ...operands];
        this.record({ words, environment: [], redirects, declaration: command.variant }, frame);
        return;
      }
      case 'binary': {
        if (command.operator === '&&' || command.operator === '||') {
          this.visit(command.left, frame);
          this.visit(command.right, frame);
          return;
        }
        const left: CommandInvocation[] = [];
        this.visit(command.left, { ...frame, inPipeline: true, collectors: [...frame.collectors, left] });
        this.visit(command.right, { ...frame, inPipeline: true, upstream: [...frame.upstream, ...left] });
        return;
      }
      case 'function': {
        const body: CommandInvocation[] = [];
        this.isolated(() => this.visit(command.body, { ...frame, origin: 'function-body', collectors: [...frame.collectors, body] }));
        this.functions.push({ name: command.name, invocations: body });
        return;
      }
      case 'compound': {
        const visitAll = (): void => command.statements.forEach((inner) => this.visit(inner, frame));
        if (command.kind === 'Subshell') this.isolated(visitAll);
        else visitAll();
        return;
      }
    }
  }

  private record(parts: Pick<CommandInvocation, 'words' | 'environment' | 'redirects' | 'declaration'>, frame: Frame, feeding: CommandInvocation[] = []): void {
    const invocation: CommandInvocation = {
      ...parts,
      upstream: frame.upstream,
      inPipeline: frame.inPipeline,
      background: frame.background,
      workingDirectory: this.workingDirectory,
      origin: frame.origin,
    };
    this.invocations.push(invocation);
    for (const collector of frame.collectors) collector.push(invocation);
    feeding.push(invocation);
  }

  private scope(feeding: CommandInvocation[]): WordScope {
    return {
      variables: this.variables,
      workingDirectory: this.workingDirectory,
      expand: (statements, kind) => {
        const collected: CommandInvocation[] = [];
        const origin: InvocationOrigin = kind === 'command' ? 'command-substitution' : 'process-substitution';
        const upstream = kind === 'process-output' ? feeding : [];
        this.isolated(() => statements.forEach((inner) => this.visit(inner, { background: false, inPipeline: false, upstream, origin, collectors: [collected] })));
        return collected;
      },
    };
  }

  /** Runs `visit` as a subshell would: its `cd` and variables do not leak out. */
  private isolated(visit: () => void): void {
    const directory = this.workingDirectory;
    const variables = new Map(this.variables);
    visit();
    this.workingDirectory = directory;
    this.variables = variables;
  }

  private resolveAssignments(assignments: ShellAssignment[], scope: WordScope): CommandInvocation['environment'] {
    return assignments.flatMap((assignment) =>
      assignment.name === undefined ? [] : [{ name: assignment.name, value: assignment.value ? resolveWord(assignment.value, scope) : literalWord('') }],
    );
  }

  private resolveOperand(operand: ShellAssignment, scope: WordScope): ResolvedWord {
    const value = operand.value ? resolveWord(operand.value, scope) : undefined;
    if (operand.name === undefined) return value ?? literalWord('');
    if (value === undefined) return literalWord(operand.name);
    this.assign(operand.name, value);
    return { ...value, text: `${operand.name}=${value.text}` };
  }

  private assign(name: string, value: ResolvedWord): void {
    if (value.dynamic) this.variables.delete(name);
    else this.variables.set(name, value.text);
  }

  private trackDirectoryChange(words: ResolvedWord[]): void {
    const name = words[0]?.text;
    if (name === 'popd') this.workingDirectory = undefined;
    if (name !== 'cd' && name !== 'pushd') return;
    const target = words.slice(1).find((word) => !/^-[LPe@]+$/u.test(word.text));
    if (target === undefined) this.workingDirectory = HOME_PLACEHOLDER;
    else if (target.dynamic || target.text === '-') this.workingDirectory = undefined;
    else this.workingDirectory = resolveLexically(target.text, this.workingDirectory);
  }
}

export function literalWord(text: string): ResolvedWord {
  return { text, dynamic: false, unknownParts: [], globbing: false, bracing: false, substitutions: [] };
}
