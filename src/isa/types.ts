// Data types of the instruction layer. One table (table.ts) of entries built from these
// types drives the encoder, the decoder, the assembler and the disassembler.

/** A semantic operand an instruction reads or writes, independent of where its bits are. */
export type Slot = 'rd' | 'rs1' | 'rs2' | 'imm' | 'pred' | 'succ' | 'fm' | 'csr' | 'aqrl' | 'frd' | 'frs2';

/**
 * How a field's value is written and printed:
 * - xreg: an integer register (ABI name out, any GNU as register name in)
 * - creg: a compressed-format register, x8..x15 in three bits
 * - freg, cfreg: the same for floating-point registers (f0..f31; f8..f15)
 * - simm: a signed immediate, printed in decimal
 * - uimm: an unsigned immediate, printed in decimal (compressed offsets, CSR immediates)
 * - hex: an unsigned immediate printed as 0x... (lui/auipc upper bits, shift amounts)
 * - luihex: C.LUI's six signed bits, written and printed as the 20-bit LUI field they stand for
 * - pcrel: a pc-relative offset, written and printed as the target address
 * - fenceset: a FENCE predecessor or successor set, printed as letters from "iorw"
 * - csr: a CSR number, printed by name where it has one
 */
export type FieldKind = 'xreg' | 'creg' | 'freg' | 'cfreg' | 'simm' | 'uimm' | 'hex' | 'luihex' | 'pcrel' | 'fenceset' | 'csr';

/** Instruction bits [hi:lo] hold value bits [at + hi - lo : at]. */
export interface Slice {
  readonly hi: number;
  readonly lo: number;
  readonly at: number;
}

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly slices: readonly Slice[];
  readonly slots: readonly Slot[];
  readonly signed: boolean;
  /** Number of value bits, the sign bit included. */
  readonly width: number;
  /** Number of low value bits the encoding omits (they are zero). */
  readonly align: number;
  /** The instruction bits the field occupies. */
  readonly mask: number;
  /** Added to the raw bits: 8 for compressed registers. */
  readonly offset: number;
}

/** A real instruction encoding: what the hardware decodes. */
export interface BaseInsn {
  readonly name: string;
  readonly length: 2 | 4;
  readonly match: number;
  readonly mask: number;
  /** Every operand field of the encoding. */
  readonly fields: readonly FieldSpec[];
  /** The operation it performs; compressed instructions name their 32-bit equivalent. */
  readonly op: string;
  /** Slot values the encoding implies without bits (c.jr writes no rd: rd = x0). */
  readonly implied: Readonly<Partial<Record<Slot, number>>>;
  /** Field values that make the word something else (reserved, or another instruction). */
  readonly not: readonly FieldConstraint[];
}

/** A field must not hold this value. */
export interface FieldConstraint {
  readonly field: string;
  readonly value: number;
}

/** One operand position in an entry's assembly syntax. */
export type SyntaxToken =
  | { readonly kind: 'field'; readonly field: FieldSpec }
  /** `offset(base)`: a memory operand; without an offset field, `(base)` (GNU as also takes `0(base)`). */
  | { readonly kind: 'mem'; readonly offset: FieldSpec | undefined; readonly base: FieldSpec | string }
  /** A register the encoding implies, written out: `sp` in `c.addi4spn a0,sp,16`. */
  | { readonly kind: 'literal'; readonly text: string };

/**
 * A line of the table: a mnemonic with one syntax, mapped onto a base encoding. Aliases
 * (pseudo-instructions such as `ret` or `li`) fix some of the base's fields.
 */
export interface InsnEntry {
  readonly name: string;
  readonly syntaxText: string;
  readonly syntax: readonly SyntaxToken[];
  readonly base: BaseInsn;
  /** Field values this entry fixes (part of match/mask). */
  readonly fixed: Readonly<Record<string, number>>;
  /** Field values for which this entry does not describe a word (the base's, and its own). */
  readonly not: readonly FieldConstraint[];
  /**
   * Values GNU as refuses for this entry although objdump prints them with it (reserved
   * encodings such as C.ADDI16SP with a zero immediate).
   */
  readonly asmNot: readonly FieldConstraint[];
  readonly match: number;
  readonly mask: number;
  /** A pseudo-instruction: printed by default, not with no-aliases. */
  readonly alias: boolean;
}

/** A pseudo-instruction that assembles to several instructions (call, tail, li, la). */
export interface MacroEntry {
  readonly name: string;
  readonly syntaxText: string;
  /** Operand kinds: 'reg' or 'expr'. */
  readonly operands: readonly ('reg' | 'expr')[];
  readonly expander: string;
}

/** A decoded instruction, ready to execute. */
export interface Decoded {
  /** The operation: 'jalr', 'addi', ... or 'illegal'. Compressed forms name their expansion. */
  readonly op: string;
  /** The base instruction's mnemonic, e.g. 'c.jr'. */
  readonly name: string;
  readonly length: 2 | 4;
  readonly bits: number;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  /** Immediates are sign-extended; lui/auipc hold the raw 20-bit field. */
  readonly imm: number;
  readonly pred: number;
  readonly succ: number;
  readonly fm: number;
  readonly csr: number;
  /** Bit 1: aq, bit 0: rl. */
  readonly aqrl: number;
}

/** Symbols for disassembly annotations: name and address. */
export interface SymbolTable {
  /** The symbol at or below `addr`, if any: objdump's `<name+0xoff>`. */
  lookup(addr: bigint): { name: string; addr: bigint } | undefined;
}

export interface DisasmOptions {
  /** Address of the word; pc-relative targets are printed as absolute addresses. */
  readonly pc?: bigint;
  /** objdump's default: pseudo-instructions where one applies. `-M no-aliases` sets false. */
  readonly aliases?: boolean;
  readonly symbols?: SymbolTable;
}
