// The real encodings of RV64GC's integer, atomic, CSR and compressed instructions (and
// the few privileged ones kernel code uses): match and mask bits from the ISA manual,
// the operand fields each carries, and for compressed forms the 32-bit operation they
// perform. Mnemonics, aliases and syntaxes are in table.ts.

import { FIELDS } from './fields.ts';
import type { BaseInsn, FieldSpec, Slot } from './types.ts';

interface BaseInput {
  length: 2 | 4;
  match: number;
  mask: number;
  fields: string;
  op?: string;
  implied?: Partial<Record<Slot, number>>;
  /** Field values that make the word something else: reserved, or another instruction. */
  not?: Record<string, number | number[]>;
}

const R = 'rd rs1 rs2';
const I = 'rd rs1 imm12';
const S = 'rs1 rs2 simm12';
const B = 'rs1 rs2 bimm';
const AMO = 'rd rs1 rs2 aqrl';
const CSR = 'rd rs1 csr';
const CSRI = 'rd zimm csr';
const F3 = 0x707f; // opcode + funct3
const F7 = 0xfe00707f; // opcode + funct3 + funct7
const F6 = 0xfc00707f; // RV64 shifts: funct6
const A5 = 0xf800707f; // AMOs: funct5 + funct3 + opcode (aq/rl are operands)
const EXACT = 0xffffffff;
const C3 = 0xe003; // compressed: funct3 + quadrant
const C4 = 0xf003; // compressed: funct4 + quadrant
const C6 = 0xfc63; // compressed arithmetic: funct6 + funct2 + quadrant
const SP = 2;

/** Atomic memory operations, word (funct3 2) and doubleword (3), by funct5. */
function atomics(): Record<string, BaseInput> {
  const ops: Array<[string, number]> = [
    ['lr', 0b00010],
    ['sc', 0b00011],
    ['amoswap', 0b00001],
    ['amoadd', 0b00000],
    ['amoxor', 0b00100],
    ['amoand', 0b01100],
    ['amoor', 0b01000],
    ['amomin', 0b10000],
    ['amomax', 0b10100],
    ['amominu', 0b11000],
    ['amomaxu', 0b11100],
  ];
  const out: Record<string, BaseInput> = {};
  for (const [w, f3] of [['w', 2], ['d', 3]] as const) {
    for (const [name, f5] of ops) {
      const match = ((f5 << 27) | (f3 << 12) | 0x2f) >>> 0;
      // lr has no rs2: the field must be zero.
      out[`${name}.${w}`] = name === 'lr' ? { length: 4, match, mask: (A5 | 0x01f00000) >>> 0, fields: 'rd rs1 aqrl' } : { length: 4, match, mask: A5, fields: AMO };
    }
  }
  return out;
}

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
  'fence.tso': { length: 4, match: 0x8330000f, mask: EXACT, fields: '', op: 'fence', implied: { pred: 3, succ: 3, fm: 8 } },
  'fence.i': { length: 4, match: 0x100f, mask: EXACT, fields: '' },
  ecall: { length: 4, match: 0x73, mask: EXACT, fields: '' },
  ebreak: { length: 4, match: 0x100073, mask: EXACT, fields: '' },
  // Privileged instructions kernel code runs, and the old ones objdump 2.40 still prints
  uret: { length: 4, match: 0x00200073, mask: EXACT, fields: '' },
  sret: { length: 4, match: 0x10200073, mask: EXACT, fields: '' },
  mret: { length: 4, match: 0x30200073, mask: EXACT, fields: '' },
  dret: { length: 4, match: 0x7b200073, mask: EXACT, fields: '' },
  wfi: { length: 4, match: 0x10500073, mask: EXACT, fields: '' },
  'sfence.vm': { length: 4, match: 0x10400073, mask: 0xfff07fff, fields: 'rs1' },
  'sfence.vma': { length: 4, match: 0x12000073, mask: 0xfe007fff, fields: 'rs1 rs2' },
  // M
  mul: { length: 4, match: 0x02000033, mask: F7, fields: R },
  mulh: { length: 4, match: 0x02001033, mask: F7, fields: R },
  mulhsu: { length: 4, match: 0x02002033, mask: F7, fields: R },
  mulhu: { length: 4, match: 0x02003033, mask: F7, fields: R },
  div: { length: 4, match: 0x02004033, mask: F7, fields: R },
  divu: { length: 4, match: 0x02005033, mask: F7, fields: R },
  rem: { length: 4, match: 0x02006033, mask: F7, fields: R },
  remu: { length: 4, match: 0x02007033, mask: F7, fields: R },
  mulw: { length: 4, match: 0x0200003b, mask: F7, fields: R },
  divw: { length: 4, match: 0x0200403b, mask: F7, fields: R },
  divuw: { length: 4, match: 0x0200503b, mask: F7, fields: R },
  remw: { length: 4, match: 0x0200603b, mask: F7, fields: R },
  remuw: { length: 4, match: 0x0200703b, mask: F7, fields: R },
  // A
  ...atomics(),
  // Zicsr
  csrrw: { length: 4, match: 0x1073, mask: F3, fields: CSR },
  csrrs: { length: 4, match: 0x2073, mask: F3, fields: CSR },
  csrrc: { length: 4, match: 0x3073, mask: F3, fields: CSR },
  csrrwi: { length: 4, match: 0x5073, mask: F3, fields: CSRI },
  csrrsi: { length: 4, match: 0x6073, mask: F3, fields: CSRI },
  csrrci: { length: 4, match: 0x7073, mask: F3, fields: CSRI },
  // C, quadrant 0
  'c.unimp': { length: 2, match: 0x0000, mask: 0xffff, fields: '', op: 'illegal' },
  'c.addi4spn': { length: 2, match: 0x0000, mask: C3, fields: 'c.rdp c.spnimm', op: 'addi', implied: { rs1: SP }, not: { 'c.spnimm': 0 } },
  'c.fld': { length: 2, match: 0x2000, mask: C3, fields: 'c.frdp c.dimm c.rs1p', op: 'fld' },
  'c.lw': { length: 2, match: 0x4000, mask: C3, fields: 'c.rdp c.wimm c.rs1p', op: 'lw' },
  'c.ld': { length: 2, match: 0x6000, mask: C3, fields: 'c.rdp c.dimm c.rs1p', op: 'ld' },
  'c.fsd': { length: 2, match: 0xa000, mask: C3, fields: 'c.frs2p c.dimm c.rs1p', op: 'fsd' },
  'c.sw': { length: 2, match: 0xc000, mask: C3, fields: 'c.rs2p c.wimm c.rs1p', op: 'sw' },
  'c.sd': { length: 2, match: 0xe000, mask: C3, fields: 'c.rs2p c.dimm c.rs1p', op: 'sd' },
  // C, quadrant 1
  'c.addi': { length: 2, match: 0x0001, mask: C3, fields: 'c.rd_rs1 c.imm6', op: 'addi' },
  'c.addiw': { length: 2, match: 0x2001, mask: C3, fields: 'c.rd_rs1 c.imm6', op: 'addiw', not: { 'c.rd_rs1': 0 } },
  'c.li': { length: 2, match: 0x4001, mask: C3, fields: 'c.rd c.imm6', op: 'addi', implied: { rs1: 0 } },
  'c.addi16sp': { length: 2, match: 0x6101, mask: 0xef83, fields: 'c.sp16imm', op: 'addi', implied: { rd: SP, rs1: SP } },
  'c.lui': { length: 2, match: 0x6001, mask: C3, fields: 'c.rd c.luiimm', op: 'lui', not: { 'c.rd': SP, 'c.luiimm': 0 } },
  'c.srli': { length: 2, match: 0x8001, mask: 0xec03, fields: 'c.rd_rs1p c.shamt', op: 'srli' },
  'c.srai': { length: 2, match: 0x8401, mask: 0xec03, fields: 'c.rd_rs1p c.shamt', op: 'srai' },
  'c.andi': { length: 2, match: 0x8801, mask: 0xec03, fields: 'c.rd_rs1p c.imm6', op: 'andi' },
  'c.sub': { length: 2, match: 0x8c01, mask: C6, fields: 'c.rd_rs1p c.rs2p', op: 'sub' },
  'c.xor': { length: 2, match: 0x8c21, mask: C6, fields: 'c.rd_rs1p c.rs2p', op: 'xor' },
  'c.or': { length: 2, match: 0x8c41, mask: C6, fields: 'c.rd_rs1p c.rs2p', op: 'or' },
  'c.and': { length: 2, match: 0x8c61, mask: C6, fields: 'c.rd_rs1p c.rs2p', op: 'and' },
  'c.subw': { length: 2, match: 0x9c01, mask: C6, fields: 'c.rd_rs1p c.rs2p', op: 'subw' },
  'c.addw': { length: 2, match: 0x9c21, mask: C6, fields: 'c.rd_rs1p c.rs2p', op: 'addw' },
  'c.j': { length: 2, match: 0xa001, mask: C3, fields: 'c.jimm', op: 'jal', implied: { rd: 0 } },
  'c.beqz': { length: 2, match: 0xc001, mask: C3, fields: 'c.rs1p c.bimm', op: 'beq', implied: { rs2: 0 } },
  'c.bnez': { length: 2, match: 0xe001, mask: C3, fields: 'c.rs1p c.bimm', op: 'bne', implied: { rs2: 0 } },
  // C, quadrant 2
  'c.slli': { length: 2, match: 0x0002, mask: C3, fields: 'c.rd_rs1 c.shamt', op: 'slli' },
  'c.fldsp': { length: 2, match: 0x2002, mask: C3, fields: 'c.frd c.ldspimm', op: 'fld', implied: { rs1: SP } },
  'c.lwsp': { length: 2, match: 0x4002, mask: C3, fields: 'c.rd c.lwspimm', op: 'lw', implied: { rs1: SP }, not: { 'c.rd': 0 } },
  'c.ldsp': { length: 2, match: 0x6002, mask: C3, fields: 'c.rd c.ldspimm', op: 'ld', implied: { rs1: SP }, not: { 'c.rd': 0 } },
  'c.jr': { length: 2, match: 0x8002, mask: 0xf07f, fields: 'c.rs1', op: 'jalr', implied: { rd: 0, imm: 0 }, not: { 'c.rs1': 0 } },
  'c.mv': { length: 2, match: 0x8002, mask: C4, fields: 'c.rd c.rs2', op: 'add', implied: { rs1: 0 }, not: { 'c.rs2': 0 } },
  'c.ebreak': { length: 2, match: 0x9002, mask: 0xffff, fields: '', op: 'ebreak' },
  'c.jalr': { length: 2, match: 0x9002, mask: 0xf07f, fields: 'c.rs1', op: 'jalr', implied: { rd: 1, imm: 0 }, not: { 'c.rs1': 0 } },
  'c.add': { length: 2, match: 0x9002, mask: C4, fields: 'c.rd_rs1 c.rs2', op: 'add', not: { 'c.rs2': 0 } },
  'c.fsdsp': { length: 2, match: 0xa002, mask: C3, fields: 'c.frs2 c.sdspimm', op: 'fsd', implied: { rs1: SP } },
  'c.swsp': { length: 2, match: 0xc002, mask: C3, fields: 'c.rs2 c.swspimm', op: 'sw', implied: { rs1: SP } },
  'c.sdsp': { length: 2, match: 0xe002, mask: C3, fields: 'c.rs2 c.sdspimm', op: 'sd', implied: { rs1: SP } },
};

function fieldNamed(name: string): FieldSpec {
  const f = FIELDS[name];
  if (!f) throw new Error(`instruction table: unknown field ${name}`);
  return f;
}

export const BASES: Readonly<Record<string, BaseInsn>> = Object.fromEntries(
  Object.entries(BASE_INPUT).map(([name, b]) => {
    const fields = b.fields ? b.fields.split(' ').map(fieldNamed) : [];
    const not = Object.entries(b.not ?? {}).flatMap(([field, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ field, value })));
    for (const n of not) if (!fields.some((f) => f.name === n.field)) throw new Error(`instruction table: ${name} has no field ${n.field}`);
    const base: BaseInsn = { name, length: b.length, match: b.match >>> 0, mask: b.mask >>> 0, fields, op: b.op ?? name, implied: b.implied ?? {}, not };
    return [name, base];
  }),
);
