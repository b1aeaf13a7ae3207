// One scenario block's YAML, parsed with every node's source range kept, and the mapping
// from a place in the block (or inside a scalar's value, such as a line of assembly) back
// to the file's line and column.
//
// Aliases (`*name`) are resolved here, each replaced by a copy of the node its anchor
// marks: the compiler reads the node tree, where an alias left in place would be a value
// of no known kind, silently ignored. The copies keep the anchor's positions. Nesting and
// the copying are bounded (limits.ts), so a deep or exploding document gets a diagnostic.

import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { LIMITS } from './limits.ts';
import type { Block, Diagnostic, SourcePos } from './types.ts';

const NESTING = `YAML: nested deeper than ${LIMITS.nesting} levels, the limit on nesting`;

export class BlockSource {
  readonly lines = new LineCounter();
  readonly doc: Document;
  /** Nodes made as copies for aliases: their positions are the anchored node's. */
  readonly copies = new WeakSet<object>();
  /** What reading found beyond YAML's own errors: a limit passed, an alias that names nothing. */
  private readonly readProblems: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly block: Block,
  ) {
    this.doc = parseDocument(block.source, { intAsBigInt: true, lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    // A document so deep that composing it overflowed the stack: YAML caught that at the collection it was in.
    const exhausted = this.doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
    if (this.doc.errors.length && !exhausted) return;
    const deep = tooDeep(this.doc.contents);
    if (deep || exhausted) this.readProblems.push({ pos: deep ? this.of(deep) : this.at(exhausted!.pos[0]), message: NESTING });
    else this.resolveAliases();
  }

  /**
   * Replaces every alias by a copy of its anchor's node (the last of that name before it,
   * as YAML says), stopping at the first problem: an alias that names no earlier anchor, or
   * one inside the node it names, a copy that would nest too deep, or copies that add up
   * to more nodes than the limit.
   */
  private resolveAliases(): void {
    const anchors = new Map<string, Node>();
    const open = new Set<Node>();
    /** Collection levels and node count of a node, aliases resolved: what a copy of it adds. */
    const shape = new Map<unknown, { height: number; size: number }>();
    let copied = 0;
    let failed = false;
    const fail = (at: Node, message: string, hint?: string): unknown => {
      this.readProblems.push({ pos: this.of(at), message, ...(hint ? { hint } : {}) });
      failed = true;
      return at;
    };
    // The node to stand where `node` stands (inside `enclosing` collections).
    const visit = (node: unknown, enclosing: number): unknown => {
      if (failed) return node;
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (!target) return fail(node, `YAML: the alias *${node.source} names no anchor before it`, `an anchor (&${node.source}) marks a node before its aliases, in the same block`);
        if (open.has(target)) return fail(node, `YAML: the alias *${node.source} is inside the node it names, which would then contain itself`);
        const { height, size } = shape.get(target)!;
        if (enclosing + height > LIMITS.nesting) return fail(node, NESTING);
        copied += size;
        if (copied > LIMITS.aliasNodes) {
          return fail(node, `YAML: aliases copy more than ${LIMITS.aliasNodes.toLocaleString('en-US')} nodes in this block, the limit on alias expansion`, 'write the values out, or anchor smaller parts');
        }
        const copy = (target as { clone(): Node }).clone();
        delete (copy as { anchor?: string }).anchor;
        this.markCopies(copy);
        shape.set(copy, { height, size });
        return copy;
      }
      if (!isNode(node)) return node;
      if (node.anchor) anchors.set(node.anchor, node);
      open.add(node);
      let height = 0;
      let size = 1;
      const inner = (x: unknown): unknown => {
        const r = visit(x, enclosing + 1);
        const s = shape.get(r);
        if (s) {
          height = Math.max(height, s.height);
          size += s.size;
        }
        return r;
      };
      if (isSeq(node)) {
        for (let i = 0; i < node.items.length; i++) node.items[i] = inner(node.items[i]);
      } else if (isMap(node)) {
        // YAML's own check of unique keys saw an alias as no key at all: the copy is checked here.
        const keys = new Set(node.items.flatMap((p) => (isScalar(p.key) ? [p.key.value] : [])));
        for (const pair of node.items) {
          const written = pair.key;
          pair.key = inner(pair.key);
          if (isAlias(written) && isScalar(pair.key) && !failed) {
            if (keys.has(pair.key.value)) fail(written, 'YAML: Map keys must be unique');
            keys.add(pair.key.value);
          }
          pair.value = inner(pair.value);
        }
      }
      open.delete(node);
      shape.set(node, { height: isCollection(node) ? height + 1 : 0, size });
      return node;
    };
    this.doc.contents = visit(this.doc.contents, 0) as Document['contents'];
  }

  private markCopies(copy: Node): void {
    const stack: unknown[] = [copy];
    while (stack.length) {
      const n = stack.pop();
      if (isPair(n)) stack.push(n.key, n.value);
      else if (isNode(n)) {
        this.copies.add(n as object);
        if (isCollection(n)) for (const item of n.items) stack.push(item);
      }
    }
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
    // Too deep, said once, not as the stack overflow YAML met.
    if (this.doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) return this.readProblems;
    // One stray token makes YAML complain at each token after it on the line: the first says it.
    const seen = new Set<string>();
    const yaml = [...this.doc.errors, ...this.doc.warnings]
      .map((e) => ({ pos: this.at(e.pos[0]), message: `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` }))
      .filter((d) => {
        const key = `${d.pos.line}: ${d.message}`;
        return !seen.has(key) && !!seen.add(key);
      });
    return [...yaml, ...this.readProblems];
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

/** The first collection (in document order) nested deeper than the limit, found without recursing. */
function tooDeep(top: unknown): Node | undefined {
  const stack: Array<[unknown, number]> = [[top, 0]];
  while (stack.length) {
    const [n, enclosing] = stack.pop()!;
    if (isPair(n)) {
      stack.push([n.value, enclosing], [n.key, enclosing]);
    } else if (isCollection(n)) {
      if (enclosing + 1 > LIMITS.nesting) return n;
      for (let i = n.items.length - 1; i >= 0; i--) stack.push([n.items[i], enclosing + 1]);
    }
  }
  return undefined;
}
