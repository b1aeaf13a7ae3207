// Disassembly in the syntax of `objdump -d`: the mnemonic, a tab, the operands joined by
// commas; pc-relative targets as absolute addresses with a <symbol+0xoff> where known.

import { describes } from './decode.ts';
import { extractField } from './fields.ts';
import { csrName, fpRegisterName, registerName } from './registers.ts';
import { ENTRIES } from './table.ts';
import type { DisasmOptions, FieldSpec, InsnEntry, SymbolTable, SyntaxToken } from './types.ts';
import { instructionLength } from './decode.ts';

const MASK64 = (1n << 64n) - 1n;
const FENCE_LETTERS = ['w', 'r', 'o', 'i']; // bit 0 = w ... bit 3 = i

export function fenceSetText(set: number): string {
  if (set === 0) return 'unknown';
  let s = '';
  for (let bit = 3; bit >= 0; bit--) if (set & (1 << bit)) s += FENCE_LETTERS[bit];
  return s;
}

/** objdump's way of naming an address: `ffffffff80001000 <func+0x8>`, or `0x...` with no symbol. */
export function formatTarget(addr: bigint, symbols?: SymbolTable): string {
  const a = addr & MASK64;
  const sym = symbols?.lookup(a);
  if (!sym) return `0x${a.toString(16)}`;
  const off = a - sym.addr;
  return `${a.toString(16)} <${sym.name}${off === 0n ? '' : `+0x${off.toString(16)}`}>`;
}

function formatField(f: FieldSpec, bits: number, opts: DisasmOptions): string {
  const v = extractField(f, bits);
  switch (f.kind) {
    case 'xreg':
    case 'creg':
      return registerName(v);
    case 'freg':
    case 'cfreg':
      return fpRegisterName(v);
    case 'simm':
    case 'uimm':
      return String(v);
    case 'hex':
      return `0x${v.toString(16)}`;
    case 'luihex':
      return `0x${(v & 0xfffff).toString(16)}`;
    case 'csr':
      return csrName(v) ?? `0x${v.toString(16)}`;
    case 'fenceset':
      return fenceSetText(v);
    case 'pcrel':
      return formatTarget((opts.pc ?? 0n) + BigInt(v), opts.symbols);
  }
}

function formatToken(tok: SyntaxToken, bits: number, opts: DisasmOptions): string {
  switch (tok.kind) {
    case 'field':
      return formatField(tok.field, bits, opts);
    case 'literal':
      return tok.text;
    case 'mem': {
      const base = typeof tok.base === 'string' ? tok.base : formatField(tok.base, bits, opts);
      return `${tok.offset ? formatField(tok.offset, bits, opts) : ''}(${base})`;
    }
  }
}

function entryFor(bits: number, length: 2 | 4, aliases: boolean): InsnEntry | undefined {
  for (const e of ENTRIES) {
    if (e.base.length !== length || (e.alias && !aliases)) continue;
    if (describes(e, e.base.fields, bits)) return e;
  }
  return undefined;
}

export interface Disassembly {
  readonly mnemonic: string;
  readonly operands: string;
  readonly length: 2 | 4;
}

/**
 * Disassemble the instruction starting at the low parcel of `word`. A word no entry
 * describes prints as objdump prints it: `.2byte 0x...` or `.4byte 0x...`.
 */
export function disassemble(word: number, opts: DisasmOptions = {}): Disassembly {
  const w = word >>> 0;
  const length = instructionLength(w & 0xffff) === 2 ? 2 : 4;
  const bits = length === 2 ? w & 0xffff : w;
  const e = entryFor(bits, length, opts.aliases ?? true);
  if (!e) return { mnemonic: length === 2 ? '.2byte' : '.4byte', operands: `0x${bits.toString(16)}`, length };
  const operands = e.syntax.map((tok) => formatToken(tok, bits, opts)).join(',');
  return { mnemonic: e.name, operands, length };
}

/** objdump's last column: mnemonic, a tab, operands. */
export function disassembleText(word: number, opts: DisasmOptions = {}): string {
  const d = disassemble(word, opts);
  return d.operands ? `${d.mnemonic}\t${d.operands}` : d.mnemonic;
}
