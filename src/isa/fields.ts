// Operand fields: where an operand's bits sit in an instruction word, and how its
// value is written in assembly and printed by objdump. Every encoder, decoder and
// disassembler path goes through these descriptions; nothing else knows bit positions.

import type { FieldSpec, FieldKind, Slice, Slot } from './types.ts';

interface FieldInput {
  kind: FieldKind;
  /** [instruction hi bit, instruction lo bit, value bit that lands at the lo bit] */
  slices: Array<[number, number, number]>;
  slots: Slot[];
  signed?: boolean;
  /** Register fields of the compressed formats hold x8..x15 in three bits. */
  offset?: number;
}

function field(name: string, input: FieldInput): FieldSpec {
  const slices: Slice[] = input.slices.map(([hi, lo, at]) => ({ hi, lo, at }));
  const width = Math.max(...slices.map((s) => s.at + s.hi - s.lo + 1));
  const align = Math.min(...slices.map((s) => s.at));
  let mask = 0;
  for (const s of slices) mask |= bitsMask(s.hi, s.lo);
  return {
    name,
    kind: input.kind,
    slices,
    slots: input.slots,
    signed: input.signed ?? false,
    width,
    align,
    mask: mask >>> 0,
    offset: input.offset ?? 0,
  };
}

function bitsMask(hi: number, lo: number): number {
  const len = hi - lo + 1;
  return len === 32 ? 0xffffffff : (((1 << len) - 1) << lo) >>> 0;
}

/** The raw (unsigned, unscaled) bits of a field, gathered from the word. */
function gather(f: FieldSpec, word: number): number {
  let v = 0;
  for (const s of f.slices) {
    const len = s.hi - s.lo + 1;
    const bits = (word >>> s.lo) & (len === 32 ? 0xffffffff : (1 << len) - 1);
    v += bits * 2 ** s.at;
  }
  return v;
}

/** The field's value in a word: sign-extended when the field is signed, plus the register offset. */
export function extractField(f: FieldSpec, word: number): number {
  let v = gather(f, word);
  if (f.signed && v >= 2 ** (f.width - 1)) v -= 2 ** f.width;
  return v + f.offset;
}

/** The word with the field's bits replaced by `value`; the caller has checked the range. */
export function insertField(f: FieldSpec, word: number, value: number): number {
  let raw = value - f.offset;
  if (raw < 0) raw += 2 ** f.width;
  let w = (word & ~f.mask) >>> 0;
  for (const s of f.slices) {
    const len = s.hi - s.lo + 1;
    const bits = Math.floor(raw / 2 ** s.at) % 2 ** len;
    w = (w | (bits << s.lo)) >>> 0;
  }
  return w >>> 0;
}

/** The inclusive range of values a field can hold, and the alignment they need. */
export function fieldRange(f: FieldSpec): { min: number; max: number; align: number } {
  const step = 2 ** f.align;
  if (f.kind === 'xreg' || f.kind === 'freg') return { min: 0, max: 31, align: 1 };
  if (f.kind === 'creg' || f.kind === 'cfreg') return { min: 8, max: 15, align: 1 };
  if (f.signed) return { min: -(2 ** (f.width - 1)), max: 2 ** (f.width - 1) - step, align: step };
  return { min: 0, max: 2 ** f.width - step, align: step };
}

/** Why `value` cannot go into the field, or undefined when it fits. */
export function fieldRangeError(f: FieldSpec, value: number): string | undefined {
  const { min, max, align } = fieldRange(f);
  if (value < min || value > max) return `out of range ${formatRange(f, min, max)}`;
  if ((value - min) % align !== 0) return `must be a multiple of ${align}`;
  return undefined;
}

function formatRange(f: FieldSpec, min: number, max: number): string {
  if (f.kind === 'hex') return `0x${min.toString(16)}..0x${max.toString(16)}`;
  return `${min}..${max}`;
}

const X = (hi: number, lo: number): Array<[number, number, number]> => [[hi, lo, 0]];
/** The CI-format immediate: bit 12 and bits 6:2 (c.addi, c.li, shifts, c.lui). */
const CI: Array<[number, number, number]> = [[12, 12, 5], [6, 2, 0]];

/**
 * The operand fields of RV64I, M, A, Zicsr, Zifencei and the C extension. Names follow
 * the ISA manual's format diagrams (a trailing p marks the 3-bit x8..x15 fields of the
 * compressed formats); a field that fills several semantic slots (c.addi's rd/rs1) lists
 * them all.
 */
export const FIELDS: Readonly<Record<string, FieldSpec>> = Object.fromEntries(
  [
    // 32-bit formats
    field('rd', { kind: 'xreg', slices: X(11, 7), slots: ['rd'] }),
    field('rs1', { kind: 'xreg', slices: X(19, 15), slots: ['rs1'] }),
    field('rs2', { kind: 'xreg', slices: X(24, 20), slots: ['rs2'] }),
    field('imm12', { kind: 'simm', slices: X(31, 20), slots: ['imm'], signed: true }),
    field('simm12', { kind: 'simm', slices: [[31, 25, 5], [11, 7, 0]], slots: ['imm'], signed: true }),
    field('bimm', { kind: 'pcrel', slices: [[31, 31, 12], [30, 25, 5], [11, 8, 1], [7, 7, 11]], slots: ['imm'], signed: true }),
    field('jimm', { kind: 'pcrel', slices: [[31, 31, 20], [30, 21, 1], [20, 20, 11], [19, 12, 12]], slots: ['imm'], signed: true }),
    field('uimm20', { kind: 'hex', slices: X(31, 12), slots: ['imm'] }),
    field('shamt6', { kind: 'hex', slices: X(25, 20), slots: ['imm'] }),
    field('shamt5', { kind: 'hex', slices: X(24, 20), slots: ['imm'] }),
    field('fm', { kind: 'hex', slices: X(31, 28), slots: ['fm'] }),
    field('pred', { kind: 'fenceset', slices: X(27, 24), slots: ['pred'] }),
    field('succ', { kind: 'fenceset', slices: X(23, 20), slots: ['succ'] }),
    field('csr', { kind: 'csr', slices: X(31, 20), slots: ['csr'] }),
    field('zimm', { kind: 'uimm', slices: X(19, 15), slots: ['imm'] }),
    field('aqrl', { kind: 'uimm', slices: X(26, 25), slots: ['aqrl'] }),
    // 16-bit formats: full registers
    field('c.rd', { kind: 'xreg', slices: X(11, 7), slots: ['rd'] }),
    field('c.rs1', { kind: 'xreg', slices: X(11, 7), slots: ['rs1'] }),
    field('c.rd_rs1', { kind: 'xreg', slices: X(11, 7), slots: ['rd', 'rs1'] }),
    field('c.rs2', { kind: 'xreg', slices: X(6, 2), slots: ['rs2'] }),
    field('c.frd', { kind: 'freg', slices: X(11, 7), slots: ['frd'] }),
    field('c.frs2', { kind: 'freg', slices: X(6, 2), slots: ['frs2'] }),
    // 16-bit formats: x8..x15 (f8..f15) in three bits
    field('c.rs1p', { kind: 'creg', slices: X(9, 7), slots: ['rs1'], offset: 8 }),
    field('c.rd_rs1p', { kind: 'creg', slices: X(9, 7), slots: ['rd', 'rs1'], offset: 8 }),
    field('c.rdp', { kind: 'creg', slices: X(4, 2), slots: ['rd'], offset: 8 }),
    field('c.rs2p', { kind: 'creg', slices: X(4, 2), slots: ['rs2'], offset: 8 }),
    field('c.frdp', { kind: 'cfreg', slices: X(4, 2), slots: ['frd'], offset: 8 }),
    field('c.frs2p', { kind: 'cfreg', slices: X(4, 2), slots: ['frs2'], offset: 8 }),
    // 16-bit formats: immediates
    field('c.imm6', { kind: 'simm', slices: CI, slots: ['imm'], signed: true }),
    field('c.shamt', { kind: 'hex', slices: CI, slots: ['imm'] }),
    field('c.luiimm', { kind: 'luihex', slices: CI, slots: ['imm'], signed: true }),
    field('c.sp16imm', { kind: 'simm', slices: [[12, 12, 9], [6, 6, 4], [5, 5, 6], [4, 3, 7], [2, 2, 5]], slots: ['imm'], signed: true }),
    field('c.spnimm', { kind: 'uimm', slices: [[12, 11, 4], [10, 7, 6], [6, 6, 2], [5, 5, 3]], slots: ['imm'] }),
    field('c.wimm', { kind: 'uimm', slices: [[12, 10, 3], [6, 6, 2], [5, 5, 6]], slots: ['imm'] }),
    field('c.dimm', { kind: 'uimm', slices: [[12, 10, 3], [6, 5, 6]], slots: ['imm'] }),
    field('c.lwspimm', { kind: 'uimm', slices: [[12, 12, 5], [6, 4, 2], [3, 2, 6]], slots: ['imm'] }),
    field('c.ldspimm', { kind: 'uimm', slices: [[12, 12, 5], [6, 5, 3], [4, 2, 6]], slots: ['imm'] }),
    field('c.swspimm', { kind: 'uimm', slices: [[12, 9, 2], [8, 7, 6]], slots: ['imm'] }),
    field('c.sdspimm', { kind: 'uimm', slices: [[12, 10, 3], [9, 7, 6]], slots: ['imm'] }),
    field('c.bimm', { kind: 'pcrel', slices: [[12, 12, 8], [11, 10, 3], [6, 5, 6], [4, 3, 1], [2, 2, 5]], slots: ['imm'], signed: true }),
    field('c.jimm', {
      kind: 'pcrel',
      // offset[11|4|9:8|10|6|7|3:1|5] in bits 12..2
      slices: [[12, 12, 11], [11, 11, 4], [10, 9, 8], [8, 8, 10], [7, 7, 6], [6, 6, 7], [5, 3, 1], [2, 2, 5]],
      slots: ['imm'],
      signed: true,
    }),
  ].map((f) => [f.name, f]),
);
