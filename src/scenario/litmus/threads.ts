// The threads' code: each column of the program table assembled on its own (labels are per
// thread, as in herd: two threads may both have `end:`), 32-bit instructions only, far
// apart in memory. Also the assembly of one `instr:"..."` literal.

import { Assembly, closestName, decode, type Decoded } from '../../isa/index.ts';
import type { ListingLine, SourcePos } from '../types.ts';
import type { LitmusAst, ThreadAst } from './parse.ts';
import { didYouMean, type Diagnostics } from './text.ts';

/** Thread k's code starts at 0x10000 * (k + 1): no thread's code comes near another's. */
export function threadBase(k: number): bigint {
  return 0x10000n * BigInt(k + 1);
}

export interface ThreadCode {
  readonly name: string;
  readonly base: bigint;
  /** Just after the last instruction: where the thread is done. */
  readonly end: bigint;
  readonly labels: ReadonlyMap<string, bigint>;
  readonly bytes: Uint8Array;
  readonly insns: ReadonlyArray<{ readonly addr: bigint; readonly decoded: Decoded }>;
  readonly listing: readonly ListingLine[];
}

/** Where assembler line `line`, column `col` (1-based) of a thread's code is in the file. */
function cellPos(t: ThreadAst, line: number, col: number): SourcePos {
  const cell = t.cells[line - 1];
  if (!cell) return t.pos;
  return { ...cell.pos, col: cell.pos.col + col - 1 };
}

export function assembleThreads(ast: LitmusAst, diags: Diagnostics): ThreadCode[] {
  return ast.threads.map((t, k) => {
    // One assembler line per row, so that assembler line r + 1 is the row r cell.
    const text = t.cells.map((c) => c.text).join('\n');
    const asm = new Assembly(text, threadBase(k), { rvc: false }).layout();
    const r = asm.encode();
    for (const d of r.diagnostics) diags.error(cellPos(t, d.line, d.col), `${t.name}: ${d.message}`, d.hint);
    const listing: ListingLine[] = [];
    const insns: Array<{ addr: bigint; decoded: Decoded }> = [];
    for (const it of r.items) {
      const cell = t.cells[it.line - 1];
      const col = Math.max(0, cell ? cell.text.indexOf(it.source) : 0) + 1;
      listing.push({ region: t.name, addr: it.addr, size: it.size, ...(it.bits !== undefined ? { bits: it.bits } : {}), source: it.source, pos: cellPos(t, it.line, col) });
      if (it.kind === 'insn' && it.bits !== undefined) insns.push({ addr: it.addr, decoded: decode(it.bits) });
    }
    return { name: t.name, base: asm.origin, end: asm.end, labels: asm.labels, bytes: r.bytes, insns, listing };
  });
}

export type InstrResult =
  | { readonly bits: number }
  /** `col`: 1-based column in the instruction text. */
  | { readonly error: string; readonly hint?: string; readonly col: number };

/**
 * The encoding of one instruction assembled at `addr`, seeing `labels`. `refs` collects
 * the symbols it names: an instruction that names a label (`j fi`) means something only
 * where it is stored.
 */
export function assembleInstr(text: string, addr: bigint, labels: ReadonlyMap<string, bigint>, refs?: Set<string>): InstrResult {
  const lookup = (n: string) => {
    refs?.add(n);
    return labels.get(n);
  };
  const r = new Assembly(text, addr, { rvc: false }).layout(lookup).encode(lookup);
  if (r.diagnostics.length) {
    const d = r.diagnostics[0];
    const undef = /^undefined symbol "(.+)"$/.exec(d.message);
    const hint = d.hint ?? (undef ? didYouMean(closestName(undef[1], labels.keys())) : undefined);
    return { error: d.message, ...(hint ? { hint } : {}), col: d.col };
  }
  const insns = r.items.filter((i) => i.kind === 'insn');
  if (insns.length !== 1 || r.items.length !== 1) {
    return { error: `"${text}" assembles to ${insns.length} instructions: an instr:"..." value is one 32-bit instruction`, col: 1 };
  }
  return { bits: insns[0].bits! >>> 0 };
}
