// One scenario block's YAML, parsed with every node's source range kept, and the mapping
// from a place in the block (or inside a scalar's value, such as a line of assembly) back
// to the file's line and column.

import { LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';
import type { Block, Diagnostic, SourcePos } from './types.ts';

export class BlockSource {
  readonly lines = new LineCounter();
  readonly doc: Document;

  constructor(
    readonly file: string,
    readonly block: Block,
  ) {
    this.doc = parseDocument(block.source, { intAsBigInt: true, lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
  }

  /** File position of an offset in the block. */
  at(offset: number): SourcePos {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line: this.block.line + line, col: this.block.indent + col };
  }

  /** File position of a node (its first character), or of the block when there is none. */
  of(node: Node | null | undefined): SourcePos {
    return this.at(node?.range?.[0] ?? 0);
  }

  /** Indentation of each block scalar's body, worked out once: a listing asks for every line of it. */
  private readonly indents = new WeakMap<Scalar, number>();

  private blockIndent(node: Scalar): number {
    let indent = this.indents.get(node);
    if (indent !== undefined) return indent;
    const src = this.block.source;
    const header = src.indexOf('\n', node.range![0]);
    indent = Infinity;
    // A loop, not Math.min(...lines): a long block would overflow the argument stack.
    for (const l of src.slice(header + 1, node.range![1]).split('\n')) {
      if (l.trim() !== '') indent = Math.min(indent, l.length - l.trimStart().length);
    }
    if (!Number.isFinite(indent)) indent = 0;
    this.indents.set(node, indent);
    return indent;
  }

  /** YAML syntax errors, as diagnostics. */
  syntaxErrors(): Diagnostic[] {
    return [...this.doc.errors, ...this.doc.warnings].map((e) => ({
      pos: this.at(e.pos[0]),
      message: `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    }));
  }

  /**
   * File position of 1-based (line, col) inside a string scalar's value: a line of a
   * `|` block, or a column of a one-line string. Folded and multi-line flow strings map
   * to their first line.
   */
  inScalar(node: Node | null | undefined, line: number, col: number): SourcePos {
    if (!(node instanceof Scalar) || !node.range) return this.of(node);
    const start = node.range[0];
    if (node.type === Scalar.BLOCK_LITERAL) {
      const headerPos = this.at(start);
      return { file: this.file, line: headerPos.line + line, col: this.block.indent + 1 + this.blockIndent(node) + col - 1 };
    }
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
    const p = this.at(start);
    return line === 1 ? { ...p, col: p.col + quoted + col - 1 } : p;
  }
}
