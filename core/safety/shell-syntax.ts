// Parses shell source with mvdan-sh, a real Bash parser, and converts its GopherJS nodes into the
// plain tree of shell-syntax-tree.ts; nothing else in Keel touches mvdan-sh.
import { syntax, type GoNode } from 'mvdan-sh';
import type {
  BinaryOperator,
  RedirectOperator,
  ShellAssignment,
  ShellCommand,
  ShellParseResult,
  ShellRedirect,
  ShellStatement,
  ShellWord,
  ShellWordPart,
} from './shell-syntax-tree';

/** Longer commands are not parsed at all (and so need confirmation). */
export const MAX_SHELL_SOURCE_CHARACTERS = 100_000;

const parser = syntax.NewParser(syntax.Variant(syntax.LangBash));

/** Operator codes are internal to each mvdan-sh build, so they are read from parsed samples. */
const REDIRECT_SAMPLES: Record<RedirectOperator, string> = {
  '>': 'a >b', '>>': 'a >>b', '<': 'a <b', '<>': 'a <>b', '<&': 'a <&3', '>&': 'a >&2', '>|': 'a >|b',
  '<<': 'a <<E\nE\n', '<<-': 'a <<-E\nE\n', '<<<': 'a <<<b', '&>': 'a &>b', '&>>': 'a &>>b',
};
const BINARY_SAMPLES: Record<BinaryOperator, string> = { '&&': 'a && b', '||': 'a || b', '|': 'a | b', '|&': 'a |& b' };
const REDIRECT_CODES = new Map<unknown, RedirectOperator>();
for (const [operator, sample] of Object.entries(REDIRECT_SAMPLES) as Array<[RedirectOperator, string]>) {
  REDIRECT_CODES.set(list(list(parser.Parse(sample, 'sample'), 'Stmts')[0] ?? {}, 'Redirs')[0]?.Op, operator);
}
const BINARY_CODES = new Map<unknown, BinaryOperator>();
for (const [operator, sample] of Object.entries(BINARY_SAMPLES) as Array<[BinaryOperator, string]>) {
  BINARY_CODES.set(child(child(list(parser.Parse(sample, 'sample'), 'Stmts')[0] ?? {}, 'Cmd') ?? {}, 'Op'), operator);
}
const INPUT_PROCESS_CODE = list(list(child(list(parser.Parse('a <(b)', 'sample'), 'Stmts')[0] ?? {}, 'Cmd') ?? {}, 'Args')[1] ?? {}, 'Parts')[0]?.Op;

export function parseShell(source: string): ShellParseResult {
  if (source.length > MAX_SHELL_SOURCE_CHARACTERS) return { ok: false, message: `longer than ${MAX_SHELL_SOURCE_CHARACTERS} characters` };
  let file: GoNode;
  try {
    file = parser.Parse(source, 'command');
  } catch (error) {
    return { ok: false, message: parseErrorMessage(error) };
  }
  return { ok: true, script: { statements: list(file, 'Stmts').map(convertStatement) } };
}

function parseErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  const describe = (error as { Error?: unknown } | null)?.Error;
  return typeof describe === 'function' ? String(describe.call(error)) : String(error);
}

function convertStatement(node: GoNode): ShellStatement {
  const command = child(node, 'Cmd');
  return {
    command: command ? convertCommand(command) : undefined,
    redirects: list(node, 'Redirs').map(convertRedirect),
    background: node.Background === true,
  };
}

function convertCommand(node: GoNode): ShellCommand {
  const kind = syntax.NodeType(node);
  switch (kind) {
    case 'CallExpr':
      return { type: 'call', assignments: list(node, 'Assigns').map(convertAssignment), words: list(node, 'Args').map(convertWord) };
    case 'DeclClause':
      return { type: 'declaration', variant: literal(child(node, 'Variant')), operands: list(node, 'Args').map(convertAssignment) };
    case 'BinaryCmd': {
      const operator = BINARY_CODES.get(node.Op) ?? '&&';
      return { type: 'binary', operator, left: convertStatement(child(node, 'X') ?? {}), right: convertStatement(child(node, 'Y') ?? {}) };
    }
    case 'FuncDecl':
      return { type: 'function', name: literal(child(node, 'Name')), body: convertStatement(child(node, 'Body') ?? {}) };
    default:
      return { type: 'compound', kind, statements: nestedStatements(node) };
  }
}

function convertRedirect(node: GoNode): ShellRedirect {
  const hereDocument = child(node, 'Hdoc');
  const descriptor = child(node, 'N');
  return {
    operator: REDIRECT_CODES.get(node.Op) ?? '>',
    descriptor: descriptor ? literal(descriptor) : undefined,
    target: convertWord(child(node, 'Word') ?? {}),
    hereDocument: hereDocument ? convertWord(hereDocument) : undefined,
  };
}

function convertAssignment(node: GoNode): ShellAssignment {
  const name = child(node, 'Name');
  const value = child(node, 'Value');
  return { name: name ? literal(name) : undefined, value: value ? convertWord(value) : undefined, append: node.Append === true };
}

function convertWord(node: GoNode): ShellWord {
  return { parts: list(node, 'Parts').map(convertPart) };
}

function convertPart(node: GoNode): ShellWordPart {
  const kind = syntax.NodeType(node);
  switch (kind) {
    case 'Lit':
      return { type: 'literal', value: literal(node) };
    case 'SglQuoted':
      return { type: 'single-quoted', value: literal(node), ansiC: node.Dollar === true };
    case 'DblQuoted':
      return { type: 'double-quoted', parts: list(node, 'Parts').map(convertPart) };
    case 'ParamExp': {
      const plain = ['Excl', 'Length', 'Width'].every((field) => node[field] !== true) && ['Index', 'Slice', 'Repl', 'Exp'].every((field) => !child(node, field));
      return { type: 'parameter', name: literal(child(node, 'Param')), plain, nested: nestedStatements(node) };
    }
    case 'CmdSubst':
      return { type: 'command-substitution', statements: list(node, 'Stmts').map(convertStatement) };
    case 'ProcSubst':
      return { type: 'process-substitution', direction: node.Op === INPUT_PROCESS_CODE ? 'input' : 'output', statements: list(node, 'Stmts').map(convertStatement) };
    default:
      return { type: 'opaque', kind, nested: nestedStatements(node) };
  }
}

/** The outermost statements anywhere below `node` (bodies, conditions, substitutions in words). */
function nestedStatements(node: GoNode): ShellStatement[] {
  const found: ShellStatement[] = [];
  syntax.Walk(node, (current) => {
    if (current === null || current === node) return true;
    if (syntax.NodeType(current) !== 'Stmt') return true;
    found.push(convertStatement(current));
    return false;
  });
  return found;
}

function child(node: GoNode, field: string): GoNode | undefined {
  const value = node[field];
  return value === null || value === undefined ? undefined : (value as GoNode);
}

function list(node: GoNode, field: string): GoNode[] {
  const value = node[field];
  return Array.isArray(value) ? (value as GoNode[]) : [];
}

function literal(node: GoNode | undefined): string {
  const value = node?.Value;
  return typeof value === 'string' ? value : '';
}
