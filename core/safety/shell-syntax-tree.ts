// Plain, typed shell syntax: what shell-syntax.ts turns mvdan-sh's GopherJS nodes into, so the
// safety rules work on ordinary objects with stable identity.

export type RedirectOperator = '>' | '>>' | '<' | '<>' | '<&' | '>&' | '>|' | '<<' | '<<-' | '<<<' | '&>' | '&>>';
export type BinaryOperator = '&&' | '||' | '|' | '|&';

export type ShellWordPart =
  | { type: 'literal'; value: string }
  | { type: 'single-quoted'; value: string; ansiC: boolean }
  | { type: 'double-quoted'; parts: ShellWordPart[] }
  /** `plain` is false for `${x:-y}`, `${#x}`, `${x[0]}`, `${!x}` and other forms with modifiers. */
  | { type: 'parameter'; name: string; plain: boolean; nested: ShellStatement[] }
  | { type: 'command-substitution'; statements: ShellStatement[] }
  | { type: 'process-substitution'; direction: 'input' | 'output'; statements: ShellStatement[] }
  /** Arithmetic, extended globs and other parts whose value is only known at run time. */
  | { type: 'opaque'; kind: string; nested: ShellStatement[] };

export type ShellWord = { parts: ShellWordPart[] };

export type ShellAssignment = { name?: string; value?: ShellWord; append: boolean };

export type ShellRedirect = {
  operator: RedirectOperator;
  descriptor?: string;
  target: ShellWord;
  hereDocument?: ShellWord;
};

export type ShellCommand =
  | { type: 'call'; assignments: ShellAssignment[]; words: ShellWord[] }
  /** `export`, `declare`, `local`, `readonly`, `typeset`, `nameref`. */
  | { type: 'declaration'; variant: string; operands: ShellAssignment[] }
  | { type: 'binary'; operator: BinaryOperator; left: ShellStatement; right: ShellStatement }
  | { type: 'function'; name: string; body: ShellStatement }
  /** Blocks, subshells, if/while/for/case, `time`, tests: their statements in source order. */
  | { type: 'compound'; kind: string; statements: ShellStatement[] };

export type ShellStatement = {
  command?: ShellCommand;
  redirects: ShellRedirect[];
  background: boolean;
};

export type ShellScript = { statements: ShellStatement[] };

export type ShellParseResult = { ok: true; script: ShellScript } | { ok: false; message: string };
