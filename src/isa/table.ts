// The instruction table. Encodings are the ISA manual's; the order of the entries is
// the order in which GNU objdump tries them (riscv-opc.c), because the first entry that
// describes a word is the one printed: aliases such as `ret` stand before the
// instruction they alias. Assembly tries entries of a mnemonic in the same order.

import { FIELDS, insertField } from './fields.ts';
import type { BaseInsn, FieldSpec, InsnEntry, MacroEntry, Slot, SyntaxToken } from './types.ts';

interface BaseInput {
  length: 2 | 4;
  match: number;
  mask: number;
  fields: string;
  op?: string;
  implied?: Partial<Record<Slot, number>>;
  nonzero?: string[];
}

const R = 'rd rs1 rs2';
const I = 'rd rs1 imm12';
const S = 'rs1 rs2 simm12';
const B = 'rs1 rs2 bimm';
const F3 = 0x707f; // opcode + funct3
const F7 = 0xfe00707f; // opcode + funct3 + funct7
const F6 = 0xfc00707f; // RV64 shifts: funct6

/** The real encodings, by mnemonic. */
const BASE_INPUT: Record<string, BaseInput> = {
  // RV64I
  lui: { length: 4, match: 0x37, mask: 0x7f, fields: 'rd uimm20' },
  auipc: { length: 4, match: 0x17, mask: 0x7f, fields: 'rd uimm20' },
  jal: { length: 4, match: 0x6f, mask: 0x7f, fields: 'rd jimm' },
  jalr: { length: 4, match: 0x67, mask: F3, fields: I },
  beq: { length: 4, match: 0x0063, mask: F3, fields: B },
  bne: { length: 4, match: 0x1063, mask: F3, fields: B },
  blt: { length: 4, match: 0x4063, mask: F3, fields: B },
  bge: { length: 4, match: 0x5063, mask: F3, fields: B },
  bltu: { length: 4, match: 0x6063, mask: F3, fields: B },
  bgeu: { length: 4, match: 0x7063, mask: F3, fields: B },
  lb: { length: 4, match: 0x0003, mask: F3, fields: I },
  lh: { length: 4, match: 0x1003, mask: F3, fields: I },
  lw: { length: 4, match: 0x2003, mask: F3, fields: I },
  ld: { length: 4, match: 0x3003, mask: F3, fields: I },
  lbu: { length: 4, match: 0x4003, mask: F3, fields: I },
  lhu: { length: 4, match: 0x5003, mask: F3, fields: I },
  lwu: { length: 4, match: 0x6003, mask: F3, fields: I },
  sb: { length: 4, match: 0x0023, mask: F3, fields: S },
  sh: { length: 4, match: 0x1023, mask: F3, fields: S },
  sw: { length: 4, match: 0x2023, mask: F3, fields: S },
  sd: { length: 4, match: 0x3023, mask: F3, fields: S },
  addi: { length: 4, match: 0x0013, mask: F3, fields: I },
  slti: { length: 4, match: 0x2013, mask: F3, fields: I },
  sltiu: { length: 4, match: 0x3013, mask: F3, fields: I },
  xori: { length: 4, match: 0x4013, mask: F3, fields: I },
  ori: { length: 4, match: 0x6013, mask: F3, fields: I },
  andi: { length: 4, match: 0x7013, mask: F3, fields: I },
  slli: { length: 4, match: 0x1013, mask: F6, fields: 'rd rs1 shamt6' },
  srli: { length: 4, match: 0x5013, mask: F6, fields: 'rd rs1 shamt6' },
  srai: { length: 4, match: 0x40005013, mask: F6, fields: 'rd rs1 shamt6' },
  add: { length: 4, match: 0x0033, mask: F7, fields: R },
  sub: { length: 4, match: 0x40000033, mask: F7, fields: R },
  sll: { length: 4, match: 0x1033, mask: F7, fields: R },
  slt: { length: 4, match: 0x2033, mask: F7, fields: R },
  sltu: { length: 4, match: 0x3033, mask: F7, fields: R },
  xor: { length: 4, match: 0x4033, mask: F7, fields: R },
  srl: { length: 4, match: 0x5033, mask: F7, fields: R },
  sra: { length: 4, match: 0x40005033, mask: F7, fields: R },
  or: { length: 4, match: 0x6033, mask: F7, fields: R },
  and: { length: 4, match: 0x7033, mask: F7, fields: R },
  addiw: { length: 4, match: 0x001b, mask: F3, fields: I },
  slliw: { length: 4, match: 0x101b, mask: F7, fields: 'rd rs1 shamt5' },
  srliw: { length: 4, match: 0x501b, mask: F7, fields: 'rd rs1 shamt5' },
  sraiw: { length: 4, match: 0x4000501b, mask: F7, fields: 'rd rs1 shamt5' },
  addw: { length: 4, match: 0x003b, mask: F7, fields: R },
  subw: { length: 4, match: 0x4000003b, mask: F7, fields: R },
  sllw: { length: 4, match: 0x103b, mask: F7, fields: R },
  srlw: { length: 4, match: 0x503b, mask: F7, fields: R },
  sraw: { length: 4, match: 0x4000503b, mask: F7, fields: R },
  // FENCE: rd, rs1 and fm must be zero (fm=1000 with rw,rw is fence.tso)
  fence: { length: 4, match: 0x000f, mask: 0xf00fffff, fields: 'pred succ' },
  'fence.tso': { length: 4, match: 0x8330000f, mask: 0xffffffff, fields: '', op: 'fence', implied: { pred: 3, succ: 3, fm: 8 } },
  'fence.i': { length: 4, match: 0x100f, mask: 0xffffffff, fields: '' },
  ecall: { length: 4, match: 0x73, mask: 0xffffffff, fields: '' },
  ebreak: { length: 4, match: 0x100073, mask: 0xffffffff, fields: '' },
  // C extension (RV64)
  'c.nop': { length: 2, match: 0x0001, mask: 0xffff, fields: '', op: 'addi', implied: { rd: 0, rs1: 0, imm: 0 } },
  'c.addi': { length: 2, match: 0x0001, mask: 0xe003, fields: 'c.rd_rs1 c.imm6', op: 'addi' },
  'c.li': { length: 2, match: 0x4001, mask: 0xe003, fields: 'c.rd c.imm6', op: 'addi', implied: { rs1: 0 } },
  'c.j': { length: 2, match: 0xa001, mask: 0xe003, fields: 'c.jimm', op: 'jal', implied: { rd: 0 } },
  'c.jr': { length: 2, match: 0x8002, mask: 0xf07f, fields: 'c.rs1', op: 'jalr', implied: { rd: 0, imm: 0 }, nonzero: ['c.rs1'] },
  'c.mv': { length: 2, match: 0x8002, mask: 0xf003, fields: 'c.rd c.rs2', op: 'add', implied: { rs1: 0 }, nonzero: ['c.rs2'] },
  'c.ebreak': { length: 2, match: 0x9002, mask: 0xffff, fields: '', op: 'ebreak' },
  'c.jalr': { length: 2, match: 0x9002, mask: 0xf07f, fields: 'c.rs1', op: 'jalr', implied: { rd: 1, imm: 0 }, nonzero: ['c.rs1'] },
  'c.add': { length: 2, match: 0x9002, mask: 0xf003, fields: 'c.rd_rs1 c.rs2', op: 'add', nonzero: ['c.rs2'] },
};

function fieldNamed(name: string): FieldSpec {
  const f = FIELDS[name];
  if (!f) throw new Error(`instruction table: unknown field ${name}`);
  return f;
}

export const BASES: Readonly<Record<string, BaseInsn>> = Object.fromEntries(
  Object.entries(BASE_INPUT).map(([name, b]) => [
    name,
    {
      name,
      length: b.length,
      match: b.match >>> 0,
      mask: b.mask >>> 0,
      fields: b.fields ? b.fields.split(' ').map(fieldNamed) : [],
      op: b.op ?? name,
      implied: b.implied ?? {},
      nonzero: b.nonzero ?? [],
    } satisfies BaseInsn,
  ]),
);

function parseSyntax(base: BaseInsn, text: string): SyntaxToken[] {
  if (text === '') return [];
  return text.split(',').map((tok) => {
    const mem = /^(.+)\((.+)\)$/.exec(tok);
    const own = (name: string): FieldSpec => {
      const f = base.fields.find((x) => x.name === name);
      if (!f) throw new Error(`instruction table: ${base.name} has no field ${name}`);
      return f;
    };
    return mem ? { kind: 'mem', offset: own(mem[1]), base: own(mem[2]) } : { kind: 'field', field: own(tok) };
  });
}

function entry(
  name: string,
  syntaxText: string,
  baseName: string,
  fixed: Record<string, number>,
  alias: boolean,
  nonzeroToo: string[] = [],
): InsnEntry {
  const base = BASES[baseName];
  if (!base) throw new Error(`instruction table: unknown base ${baseName}`);
  let match = base.match;
  let mask = base.mask;
  for (const [fname, value] of Object.entries(fixed)) {
    const f = base.fields.find((x) => x.name === fname);
    if (!f) throw new Error(`instruction table: ${baseName} has no field ${fname}`);
    match = insertField(f, match, value);
    mask = (mask | f.mask) >>> 0;
  }
  const nonzero = [...base.nonzero, ...nonzeroToo].filter((n) => !(n in fixed));
  return { name, syntaxText, syntax: parseSyntax(base, syntaxText), base, fixed, nonzero, match, mask, alias };
}

/** A real instruction under its own name, in one of its accepted syntaxes. */
const insn = (name: string, syntax: string, baseName = name): InsnEntry => entry(name, syntax, baseName, {}, false);
/** A pseudo-instruction: a base with some fields fixed. */
const alias = (
  name: string,
  syntax: string,
  baseName: string,
  fixed: Record<string, number> = {},
  nonzero: string[] = [],
): InsnEntry => entry(name, syntax, baseName, fixed, true, nonzero);

const RA = 1;
const FENCE_ALL = 0xf; // iorw

/** Every mnemonic and syntax, in objdump's order of preference. */
export const ENTRIES: readonly InsnEntry[] = [
  alias('ebreak', '', 'c.ebreak'),
  insn('ebreak', ''),
  alias('ret', '', 'c.jr', { 'c.rs1': RA }),
  alias('ret', '', 'jalr', { rd: 0, rs1: RA, imm12: 0 }),
  alias('jr', 'c.rs1', 'c.jr'),
  alias('jr', 'rs1', 'jalr', { rd: 0, imm12: 0 }),
  alias('jr', 'imm12(rs1)', 'jalr', { rd: 0 }),
  alias('jr', 'rs1,imm12', 'jalr', { rd: 0 }),
  alias('jalr', 'c.rs1', 'c.jalr'),
  alias('jalr', 'rs1', 'jalr', { rd: RA, imm12: 0 }),
  alias('jalr', 'imm12(rs1)', 'jalr', { rd: RA }),
  alias('jalr', 'rs1,imm12', 'jalr', { rd: RA }),
  alias('jalr', 'rd,rs1', 'jalr', { imm12: 0 }),
  insn('jalr', 'rd,imm12(rs1)'),
  insn('jalr', 'rd,rs1,imm12'),
  alias('j', 'c.jimm', 'c.j'),
  alias('j', 'jimm', 'jal', { rd: 0 }),
  alias('jal', 'jimm', 'jal', { rd: RA }),
  insn('jal', 'rd,jimm'),
  alias('nop', '', 'c.nop'),
  alias('nop', '', 'addi', { rd: 0, rs1: 0, imm12: 0 }),
  insn('lui', 'rd,uimm20'),
  alias('li', 'c.rd,c.imm6', 'c.li', {}, ['c.rd']),
  alias('li', 'rd,imm12', 'addi', { rs1: 0 }),
  alias('mv', 'c.rd,c.rs2', 'c.mv', {}, ['c.rd']),
  alias('mv', 'rd,rs1', 'addi', { imm12: 0 }),
  alias('move', 'rd,rs1', 'addi', { imm12: 0 }),
  alias('zext.b', 'rd,rs1', 'andi', { imm12: 255 }),
  alias('and', 'rd,rs1,imm12', 'andi'),
  insn('andi', 'rd,rs1,imm12'),
  insn('and', 'rd,rs1,rs2'),
  alias('beqz', 'rs1,bimm', 'beq', { rs2: 0 }),
  insn('beq', 'rs1,rs2,bimm'),
  alias('blez', 'rs2,bimm', 'bge', { rs1: 0 }),
  alias('bgez', 'rs1,bimm', 'bge', { rs2: 0 }),
  insn('bge', 'rs1,rs2,bimm'),
  insn('bgeu', 'rs1,rs2,bimm'),
  alias('bltz', 'rs1,bimm', 'blt', { rs2: 0 }),
  alias('bgtz', 'rs2,bimm', 'blt', { rs1: 0 }),
  insn('blt', 'rs1,rs2,bimm'),
  insn('bltu', 'rs1,rs2,bimm'),
  alias('bnez', 'rs1,bimm', 'bne', { rs2: 0 }),
  insn('bne', 'rs1,rs2,bimm'),
  alias('add', 'c.rd_rs1,c.rd_rs1,c.imm6', 'c.addi', {}, ['c.rd_rs1']),
  alias('addi', 'c.rd_rs1,c.rd_rs1,c.imm6', 'c.addi', {}, ['c.rd_rs1']),
  alias('add', 'rd,rs1,imm12', 'addi'),
  insn('addi', 'rd,rs1,imm12'),
  alias('add', 'c.rd_rs1,c.rd_rs1,c.rs2', 'c.add', {}, ['c.rd_rs1']),
  insn('add', 'rd,rs1,rs2'),
  alias('neg', 'rd,rs2', 'sub', { rs1: 0 }),
  alias('sll', 'rd,rs1,shamt6', 'slli'),
  insn('slli', 'rd,rs1,shamt6'),
  insn('sll', 'rd,rs1,rs2'),
  alias('srl', 'rd,rs1,shamt6', 'srli'),
  insn('srli', 'rd,rs1,shamt6'),
  insn('srl', 'rd,rs1,rs2'),
  alias('sra', 'rd,rs1,shamt6', 'srai'),
  insn('srai', 'rd,rs1,shamt6'),
  insn('sra', 'rd,rs1,rs2'),
  insn('sub', 'rd,rs1,rs2'),
  insn('lb', 'rd,imm12(rs1)'),
  insn('lbu', 'rd,imm12(rs1)'),
  insn('lh', 'rd,imm12(rs1)'),
  insn('lhu', 'rd,imm12(rs1)'),
  insn('lw', 'rd,imm12(rs1)'),
  alias('not', 'rd,rs1', 'xori', { imm12: -1 }),
  alias('or', 'rd,rs1,imm12', 'ori'),
  insn('ori', 'rd,rs1,imm12'),
  insn('or', 'rd,rs1,rs2'),
  insn('auipc', 'rd,uimm20'),
  alias('seqz', 'rd,rs1', 'sltiu', { imm12: 1 }),
  alias('snez', 'rd,rs2', 'sltu', { rs1: 0 }),
  alias('sltz', 'rd,rs1', 'slt', { rs2: 0 }),
  alias('sgtz', 'rd,rs2', 'slt', { rs1: 0 }),
  insn('slti', 'rd,rs1,imm12'),
  insn('slt', 'rd,rs1,rs2'),
  alias('slt', 'rd,rs1,imm12', 'slti'),
  insn('sltiu', 'rd,rs1,imm12'),
  insn('sltu', 'rd,rs1,rs2'),
  alias('sltu', 'rd,rs1,imm12', 'sltiu'),
  alias('sgt', 'rd,rs2,rs1', 'slt'),
  alias('sgtu', 'rd,rs2,rs1', 'sltu'),
  insn('sb', 'rs2,simm12(rs1)'),
  insn('sh', 'rs2,simm12(rs1)'),
  insn('sw', 'rs2,simm12(rs1)'),
  alias('fence', '', 'fence', { pred: FENCE_ALL, succ: FENCE_ALL }),
  insn('fence', 'pred,succ'),
  insn('fence.i', ''),
  insn('fence.tso', ''),
  insn('ecall', ''),
  alias('scall', '', 'ecall'),
  alias('xor', 'rd,rs1,imm12', 'xori'),
  insn('xori', 'rd,rs1,imm12'),
  insn('xor', 'rd,rs1,rs2'),
  insn('lwu', 'rd,imm12(rs1)'),
  insn('ld', 'rd,imm12(rs1)'),
  insn('sd', 'rs2,simm12(rs1)'),
  alias('sext.w', 'rd,rs1', 'addiw', { imm12: 0 }),
  alias('addw', 'rd,rs1,imm12', 'addiw'),
  insn('addiw', 'rd,rs1,imm12'),
  alias('negw', 'rd,rs2', 'subw', { rs1: 0 }),
  insn('addw', 'rd,rs1,rs2'),
  alias('sllw', 'rd,rs1,shamt5', 'slliw'),
  insn('slliw', 'rd,rs1,shamt5'),
  insn('sllw', 'rd,rs1,rs2'),
  alias('srlw', 'rd,rs1,shamt5', 'srliw'),
  insn('srliw', 'rd,rs1,shamt5'),
  insn('srlw', 'rd,rs1,rs2'),
  alias('sraw', 'rd,rs1,shamt5', 'sraiw'),
  insn('sraiw', 'rd,rs1,shamt5'),
  insn('sraw', 'rd,rs1,rs2'),
  insn('subw', 'rd,rs1,rs2'),
  // The compressed instructions under their own names (objdump -M no-aliases).
  alias('c.nop', '', 'c.nop'), // binutils marks c.nop an alias of c.addi zero,0
  insn('c.addi', 'c.rd_rs1,c.imm6'),
  insn('c.li', 'c.rd,c.imm6'),
  insn('c.j', 'c.jimm'),
  insn('c.jr', 'c.rs1'),
  insn('c.mv', 'c.rd,c.rs2'),
  insn('c.ebreak', ''),
  insn('c.jalr', 'c.rs1'),
  insn('c.add', 'c.rd_rs1,c.rs2'),
];

/**
 * A compressed form under an ordinary name (`li` for c.li): GNU as picks it only under
 * `.option rvc`. Compressed instructions written by their own `c.` names are always taken.
 */
export function needsRvc(e: InsnEntry): boolean {
  return e.base.length === 2 && e.alias && !e.name.startsWith('c.');
}

/** Pseudo-instructions that expand to several instructions; the assembler's macros.ts expands them. */
export const MACROS: readonly MacroEntry[] = [
  { name: 'call', syntaxText: 'rd,symbol', operands: ['reg', 'expr'], expander: 'call' },
  { name: 'call', syntaxText: 'symbol', operands: ['expr'], expander: 'call' },
  { name: 'tail', syntaxText: 'symbol', operands: ['expr'], expander: 'tail' },
  { name: 'li', syntaxText: 'rd,imm', operands: ['reg', 'expr'], expander: 'li' },
  { name: 'la', syntaxText: 'rd,symbol', operands: ['reg', 'expr'], expander: 'lla' },
  { name: 'lla', syntaxText: 'rd,symbol', operands: ['reg', 'expr'], expander: 'lla' },
];

/** Entries by mnemonic, in table order: the assembler tries them one after another. */
export const ENTRIES_BY_NAME: ReadonlyMap<string, readonly InsnEntry[]> = (() => {
  const m = new Map<string, InsnEntry[]>();
  for (const e of ENTRIES) {
    const list = m.get(e.name) ?? [];
    list.push(e);
    m.set(e.name, list);
  }
  return m;
})();
