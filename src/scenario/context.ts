// What every part of scenario compilation shares: the scenario's YAML (its own block, the
// blocks it extends and the files it imports), the symbols known so far, and the
// diagnostics collected. Each value is read together with the block it came from, so
// errors point at the right file and line even for inherited and imported keys.

import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { assemble, closestName, evaluate, ExprError, parseExpr, type AsmDiagnostic, type AsmResult } from '../isa/index.ts';
import type { BlockSource } from './source.ts';
import type { Diagnostic, DiagnosticNote, SourcePos } from './types.ts';

/** A YAML node together with the block it was read from. */
export interface Located {
  readonly node: Node | null;
  readonly src: BlockSource;
}

/**
 * A top-level map of a scenario. One read from another file carries `via`: the imports
 * that brought it in, nearest first, which an error inside it cites as notes.
 */
export interface Layer extends Located {
  readonly via?: readonly DiagnosticNote[];
}

export interface Entry extends Located {
  readonly key: string;
  readonly keyNode: Node;
}

/** Keys whose maps merge over an extended scenario key by key, instead of replacing it. */
const MERGED_KEYS = new Set(['model', 'symbols', 'stubs', 'insns', 'code', 'data', 'budget']);

export class Context {
  readonly diagnostics: Diagnostic[] = [];
  readonly symbols = new Map<string, bigint>();
  /** Names whose address was no 64-bit address: reported, then wrapped so that what uses them is not an error too. */
  readonly wrappedAddresses = new Set<string>();

  /** `layers`: the top-level maps, the scenario extended first, this scenario's own last. */
  constructor(readonly layers: readonly Layer[]) {}

  error(at: Located | SourcePos, message: string, hint?: string): void {
    const pos = 'file' in at ? at : at.src.of(at.node);
    const notes = this.importedVia(at);
    this.diagnostics.push({ pos, message, ...(hint ? { hint } : {}), ...(notes?.length ? { notes } : {}) });
  }

  /**
   * The imports that brought in what `at` was read from: the layer it is part of, or for
   * a bare position (a line inside a block of assembly) a layer of its file, unless the
   * scenario's own file has that name too.
   */
  private importedVia(at: Located | SourcePos): readonly DiagnosticNote[] | undefined {
    if (!('file' in at)) return this.layers.find((l) => l.src === at.src)?.via;
    const same = this.layers.filter((l) => l.src.file === at.file);
    return same.some((l) => !l.via) ? undefined : same[0]?.via;
  }

  /** A top-level key: this scenario's own, else the nearest extended one. */
  get(key: string): Located | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const v = child(this.layers[i], key);
      if (v) return v;
    }
    return undefined;
  }

  /** Entries of a map-valued key; for the keys that merge, merged across layers (later wins). */
  entries(key: string): Entry[] {
    if (!MERGED_KEYS.has(key)) {
      const v = this.get(key);
      return v ? mapEntries(v) : [];
    }
    const byKey = new Map<string, Entry>();
    for (const layer of this.layers) {
      const v = child(layer, key);
      if (v) for (const e of mapEntries(v)) byKey.set(e.key, e);
    }
    return [...byKey.values()];
  }

  /** Evaluates an address or integer: a YAML integer, or an expression over the symbols. */
  value(at: Located, lookup: (name: string) => bigint | undefined = (n) => this.symbols.get(n), report = true): bigint | undefined {
    const node = at.node;
    if (isScalar(node) && typeof node.value === 'bigint') return node.value;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) return BigInt(node.value);
    const text = isScalar(node) ? String(node.value) : '';
    try {
      return evaluate(parseExpr(text), { dot: 0n, symbol: lookup, local: () => undefined, pcrelHiAt: () => undefined });
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      if (!report) return undefined;
      const near = /undefined symbol "(.+)"/.exec(err.message);
      this.error(
        at.src.inScalar(node, 1, err.col + 1),
        err.message,
        near ? closestHint(near[1], [...this.symbols.keys()]) : undefined,
      );
      return undefined;
    }
  }

  /** A small integer setting (count, times, size), or its default when absent. */
  integer(at: Located | undefined, fallback: number): number {
    if (!at || !isScalar(at.node)) return fallback;
    const v = at.node.value;
    return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : fallback;
  }

  /** Assembles `text` at `origin` and reports its errors where the text was written. */
  assembleAt(at: Located, text: string, origin: bigint): AsmResult {
    const r = assemble(text, origin, (n) => this.symbols.get(n));
    this.asmErrors(at, r.diagnostics);
    return r;
  }

  asmErrors(at: Located, diags: readonly AsmDiagnostic[]): void {
    for (const d of diags) this.error(at.src.inScalar(at.node, d.line, d.col), d.message, d.hint);
  }
}

export function child(parent: Located, key: string): Located | undefined {
  if (!isMap(parent.node)) return undefined;
  const pair = parent.node.items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key);
  return pair ? { node: (pair.value as Node | null) ?? null, src: parent.src } : undefined;
}

export function mapEntries(at: Located): Entry[] {
  if (!isMap(at.node)) return [];
  return at.node.items.map((p) => ({
    key: String((p.key as Scalar).value),
    keyNode: p.key as Node,
    node: (p.value as Node | null) ?? null,
    src: at.src,
  }));
}

export function seqItems(at: Located): Located[] {
  if (!isSeq(at.node)) return [];
  return at.node.items.map((n) => ({ node: n as Node, src: at.src }));
}

export function scalarText(at: Located | undefined): string | undefined {
  if (!at || !isScalar(at.node)) return undefined;
  const { value, source } = at.node;
  // A number as its author wrote it (0xffffffff8001f840, not its decimal value).
  if ((typeof value === 'bigint' || typeof value === 'number') && typeof source === 'string') return source;
  return String(value);
}

/** A string value, or a list of strings, as a list. */
export function stringList(at: Located | undefined): Array<{ text: string; at: Located }> {
  if (!at) return [];
  if (isSeq(at.node)) return seqItems(at).map((i) => ({ text: scalarText(i) ?? '', at: i }));
  const t = scalarText(at);
  return t === undefined ? [] : [{ text: t, at }];
}

export function closestHint(word: string, known: readonly string[]): string | undefined {
  const best = closestName(word, known);
  return best ? `did you mean "${best}"?` : undefined;
}
