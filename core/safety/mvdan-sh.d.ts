// Types for the part of mvdan-sh (a GopherJS build of mvdan.cc/sh/v3/syntax) that shell-syntax.ts uses.
declare module 'mvdan-sh' {
  /** A syntax node: a GopherJS object whose fields mirror the Go struct named by `syntax.NodeType`. */
  export type GoNode = { readonly [field: string]: unknown };

  export interface ShellParser {
    /** Throws a Go `ParseError` object (with an `Error()` method) on invalid input. */
    Parse(source: string, name: string): GoNode;
  }

  export const syntax: {
    NewParser(...options: unknown[]): ShellParser;
    Variant(language: unknown): unknown;
    LangBash: unknown;
    NodeType(node: GoNode): string;
    /** Calls `visit` before each node's children and with null after them; false skips the children. */
    Walk(node: GoNode, visit: (node: GoNode | null) => boolean): void;
  };
}
