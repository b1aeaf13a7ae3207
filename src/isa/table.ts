// The instruction table: every mnemonic and syntax, each mapped onto a base encoding
// (encodings.ts). The order is the order in which GNU objdump 2.40 tries them, because
// the first entry that describes a word is the one printed: aliases such as `ret` stand
// before the instruction they alias. GNU as tries the entries of a mnemonic in the same
// order, so the assembler picks what it picks (a compressed form first, under rvc).

import { BASES } from './encodings.ts';
import { insertField } from './fields.ts';
import { registerNumber } from './registers.ts';
import type { FieldConstraint, FieldSpec, InsnEntry, MacroEntry, SyntaxToken } from './types.ts';

export { BASES } from './encodings.ts';

function parseSyntax(baseName: string, text: string): SyntaxToken[] {
  if (text === '') return [];
  const base = BASES[baseName];
  const own = (name: string): FieldSpec => {
    const f = base.fields.find((x) => x.name === name);
    if (!f) throw new Error(`instruction table: ${baseName} has no field ${name}`);
    return f;
  };
  // A register name or 0 where no field is: an operand the encoding implies (sp, zero).
  const fieldOrLiteral = (tok: string): SyntaxToken =>
    registerNumber(tok) !== undefined || tok === '0' ? { kind: 'literal', text: tok } : { kind: 'field', field: own(tok) };
  return text.split(',').map((tok): SyntaxToken => {
    const mem = /^(.*)\((.+)\)$/.exec(tok);
    if (!mem) return fieldOrLiteral(tok);
    const baseReg = registerNumber(mem[2]) !== undefined ? mem[2] : own(mem[2]);
    return { kind: 'mem', offset: mem[1] ? own(mem[1]) : undefined, base: baseReg };
  });
}

interface EntryOptions {
  /** Field values this entry fixes (part of its match and mask). */
  fixed?: Record<string, number>;
  /** Field values for which this entry does not apply (besides its base's). */
  not?: Record<string, number>;
  /** Field values the assembler refuses (objdump still prints them with this entry). */
  asmNot?: Record<string, number>;
  alias?: boolean;
}

function entry(name: string, syntaxText: string, baseName: string, o: EntryOptions): InsnEntry {
  const base = BASES[baseName];
  if (!base) throw new Error(`instruction table: unknown base ${baseName}`);
  const fixed = o.fixed ?? {};
  let match = base.match;
  let mask = base.mask;
  for (const [fname, value] of Object.entries(fixed)) {
    const f = base.fields.find((x) => x.name === fname);
    if (!f) throw new Error(`instruction table: ${baseName} has no field ${fname}`);
    match = insertField(f, match, value);
    mask = (mask | f.mask) >>> 0;
  }
  const constraints = (r: Record<string, number> | undefined): FieldConstraint[] => Object.entries(r ?? {}).map(([field, value]) => ({ field, value }));
  const not = [...base.not, ...constraints(o.not)].filter((c) => !(c.field in fixed));
  const asmNot = constraints(o.asmNot);
  return { name, syntaxText, syntax: parseSyntax(baseName, syntaxText), base, fixed, not, asmNot, match, mask, alias: o.alias ?? false };
}

/** A real instruction under its own name, in one of its accepted syntaxes. */
const insn = (name: string, syntax: string, baseName = name, fixed: Record<string, number> = {}, not: Record<string, number> = {}): InsnEntry =>
  entry(name, syntax, baseName, { fixed, not });
/** A pseudo-instruction (objdump -M no-aliases does not print it): a base with some fields fixed. */
const alias = (name: string, syntax: string, baseName: string, fixed: Record<string, number> = {}, not: Record<string, number> = {}): InsnEntry =>
  entry(name, syntax, baseName, { fixed, not, alias: true });

const RA = 1;
const FENCE_ALL = 0xf; // iorw
const AQRL: Array<[string, number]> = [['', 0], ['.aq', 2], ['.rl', 1], ['.aqrl', 3]];

/** lr/sc/AMOs: one entry per ordering suffix (.aq, .rl, .aqrl set the aq and rl bits). */
function atomicEntries(): InsnEntry[] {
  const out: InsnEntry[] = [];
  const ops = ['lr', 'sc', 'amoadd', 'amoswap', 'amoand', 'amoor', 'amoxor', 'amomax', 'amomaxu', 'amomin', 'amominu'];
  for (const w of ['w', 'd']) {
    for (const [suffix, aqrl] of AQRL) {
      for (const op of ops) out.push(insn(`${op}.${w}${suffix}`, op === 'lr' ? 'rd,(rs1)' : 'rd,rs2,(rs1)', `${op}.${w}`, { aqrl }));
    }
  }
  return out;
}

const CSR_FCSR = 0x003;
const CSR_FRM = 0x002;
const CSR_FFLAGS = 0x001;

/** Every mnemonic and syntax, in objdump's order of preference. */
export const ENTRIES: readonly InsnEntry[] = [
  alias('unimp', '', 'c.unimp'),
  insn('unimp', '', 'csrrw', { rd: 0, rs1: 0, csr: 0xc00 }), // csrw cycle, zero: binutils does not mark it an alias
  alias('ebreak', '', 'c.ebreak'),
  insn('ebreak', ''),
  alias('sbreak', '', 'c.ebreak'),
  alias('sbreak', '', 'ebreak'),
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
  alias('nop', '', 'c.addi', { 'c.rd_rs1': 0, 'c.imm6': 0 }),
  alias('nop', '', 'addi', { rd: 0, rs1: 0, imm12: 0 }),
  alias('lui', 'c.rd,c.luiimm', 'c.lui', {}, { 'c.rd': 0 }),
  insn('lui', 'rd,uimm20'),
  alias('li', 'c.rd,c.imm6', 'c.li', {}, { 'c.rd': 0 }),
  alias('li', 'rd,imm12', 'addi', { rs1: 0 }),
  alias('mv', 'c.rd,c.rs2', 'c.mv', {}, { 'c.rd': 0 }),
  alias('mv', 'rd,rs1', 'addi', { imm12: 0 }),
  alias('move', 'c.rd,c.rs2', 'c.mv', {}, { 'c.rd': 0 }),
  alias('move', 'rd,rs1', 'addi', { imm12: 0 }),
  alias('zext.b', 'rd,rs1', 'andi', { imm12: 255 }),
  alias('and', 'c.rd_rs1p,c.rd_rs1p,c.imm6', 'c.andi'),
  alias('andi', 'c.rd_rs1p,c.rd_rs1p,c.imm6', 'c.andi'),
  alias('and', 'rd,rs1,imm12', 'andi'),
  insn('andi', 'rd,rs1,imm12'),
  alias('and', 'c.rd_rs1p,c.rd_rs1p,c.rs2p', 'c.and'),
  alias('and', 'c.rd_rs1p,c.rs2p,c.rd_rs1p', 'c.and'),
  insn('and', 'rd,rs1,rs2'),
  alias('beqz', 'c.rs1p,c.bimm', 'c.beqz'),
  alias('beqz', 'rs1,bimm', 'beq', { rs2: 0 }),
  alias('beq', 'c.rs1p,zero,c.bimm', 'c.beqz'),
  insn('beq', 'rs1,rs2,bimm'),
  alias('blez', 'rs2,bimm', 'bge', { rs1: 0 }),
  alias('bgez', 'rs1,bimm', 'bge', { rs2: 0 }),
  insn('bge', 'rs1,rs2,bimm'),
  insn('bgeu', 'rs1,rs2,bimm'),
  alias('ble', 'rs2,rs1,bimm', 'bge'),
  alias('bleu', 'rs2,rs1,bimm', 'bgeu'),
  alias('bltz', 'rs1,bimm', 'blt', { rs2: 0 }),
  alias('bgtz', 'rs2,bimm', 'blt', { rs1: 0 }),
  insn('blt', 'rs1,rs2,bimm'),
  insn('bltu', 'rs1,rs2,bimm'),
  alias('bgt', 'rs2,rs1,bimm', 'blt'),
  alias('bgtu', 'rs2,rs1,bimm', 'bltu'),
  alias('bnez', 'c.rs1p,c.bimm', 'c.bnez'),
  alias('bnez', 'rs1,bimm', 'bne', { rs2: 0 }),
  alias('bne', 'c.rs1p,zero,c.bimm', 'c.bnez'),
  insn('bne', 'rs1,rs2,bimm'),
  // binutils 2.40 prints an ADDI with a register and an immediate as `add`
  alias('add', 'c.rdp,sp,c.spnimm', 'c.addi4spn'),
  alias('addi', 'c.rdp,sp,c.spnimm', 'c.addi4spn'),
  alias('add', 'c.rd_rs1,c.rd_rs1,c.imm6', 'c.addi', {}, { 'c.rd_rs1': 0 }),
  // GNU as turns `addi ra,ra,0` into c.mv, not c.addi (whose immediate it wants nonzero)
  entry('addi', 'c.rd_rs1,c.rd_rs1,c.imm6', 'c.addi', { alias: true, not: { 'c.rd_rs1': 0 }, asmNot: { 'c.imm6': 0 } }),
  alias('addi', 'zero,zero,0', 'c.addi', { 'c.rd_rs1': 0, 'c.imm6': 0 }),
  // C.ADDI16SP with a zero immediate is reserved: objdump prints it, GNU as refuses it.
  entry('add', 'sp,sp,c.sp16imm', 'c.addi16sp', { alias: true, asmNot: { 'c.sp16imm': 0 } }),
  entry('addi', 'sp,sp,c.sp16imm', 'c.addi16sp', { alias: true, asmNot: { 'c.sp16imm': 0 } }),
  alias('addi', 'c.rd,zero,c.imm6', 'c.li', {}, { 'c.rd': 0 }),
  alias('addi', 'c.rd,c.rs2,0', 'c.mv', {}, { 'c.rd': 0 }),
  alias('add', 'rd,rs1,imm12', 'addi'),
  insn('addi', 'rd,rs1,imm12'),
  alias('add', 'c.rd_rs1,c.rd_rs1,c.rs2', 'c.add', {}, { 'c.rd_rs1': 0 }),
  alias('add', 'c.rd_rs1,c.rs2,c.rd_rs1', 'c.add', {}, { 'c.rd_rs1': 0 }),
  alias('add', 'c.rd,zero,c.rs2', 'c.mv', {}, { 'c.rd': 0 }),
  insn('add', 'rd,rs1,rs2'),
  alias('neg', 'rd,rs2', 'sub', { rs1: 0 }),
  alias('sll', 'c.rd_rs1,c.rd_rs1,c.shamt', 'c.slli', {}, { 'c.rd_rs1': 0, 'c.shamt': 0 }),
  alias('slli', 'c.rd_rs1,c.rd_rs1,c.shamt', 'c.slli', {}, { 'c.rd_rs1': 0, 'c.shamt': 0 }),
  alias('sll', 'rd,rs1,shamt6', 'slli'),
  insn('slli', 'rd,rs1,shamt6'),
  insn('sll', 'rd,rs1,rs2'),
  alias('srl', 'c.rd_rs1p,c.rd_rs1p,c.shamt', 'c.srli', {}, { 'c.shamt': 0 }),
  alias('srli', 'c.rd_rs1p,c.rd_rs1p,c.shamt', 'c.srli', {}, { 'c.shamt': 0 }),
  alias('srl', 'rd,rs1,shamt6', 'srli'),
  insn('srli', 'rd,rs1,shamt6'),
  insn('srl', 'rd,rs1,rs2'),
  alias('sra', 'c.rd_rs1p,c.rd_rs1p,c.shamt', 'c.srai', {}, { 'c.shamt': 0 }),
  alias('srai', 'c.rd_rs1p,c.rd_rs1p,c.shamt', 'c.srai', {}, { 'c.shamt': 0 }),
  alias('sra', 'rd,rs1,shamt6', 'srai'),
  insn('srai', 'rd,rs1,shamt6'),
  insn('sra', 'rd,rs1,rs2'),
  alias('sub', 'c.rd_rs1p,c.rd_rs1p,c.rs2p', 'c.sub'),
  insn('sub', 'rd,rs1,rs2'),
  insn('lb', 'rd,imm12(rs1)'),
  insn('lbu', 'rd,imm12(rs1)'),
  insn('lh', 'rd,imm12(rs1)'),
  insn('lhu', 'rd,imm12(rs1)'),
  alias('lw', 'c.rd,c.lwspimm(sp)', 'c.lwsp'),
  alias('lw', 'c.rdp,c.wimm(c.rs1p)', 'c.lw'),
  insn('lw', 'rd,imm12(rs1)'),
  alias('not', 'rd,rs1', 'xori', { imm12: -1 }),
  alias('or', 'rd,rs1,imm12', 'ori'),
  insn('ori', 'rd,rs1,imm12'),
  alias('or', 'c.rd_rs1p,c.rd_rs1p,c.rs2p', 'c.or'),
  alias('or', 'c.rd_rs1p,c.rs2p,c.rd_rs1p', 'c.or'),
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
  alias('sw', 'c.rs2,c.swspimm(sp)', 'c.swsp'),
  alias('sw', 'c.rs2p,c.wimm(c.rs1p)', 'c.sw'),
  insn('sw', 'rs2,simm12(rs1)'),
  alias('fence', '', 'fence', { pred: FENCE_ALL, succ: FENCE_ALL }),
  insn('fence', 'pred,succ'),
  insn('fence.i', ''),
  insn('fence.tso', ''),
  alias('rdcycle', 'rd', 'csrrs', { rs1: 0, csr: 0xc00 }),
  alias('rdinstret', 'rd', 'csrrs', { rs1: 0, csr: 0xc02 }),
  alias('rdtime', 'rd', 'csrrs', { rs1: 0, csr: 0xc01 }),
  insn('ecall', ''),
  alias('scall', '', 'ecall'),
  alias('xor', 'rd,rs1,imm12', 'xori'),
  insn('xori', 'rd,rs1,imm12'),
  alias('xor', 'c.rd_rs1p,c.rd_rs1p,c.rs2p', 'c.xor'),
  alias('xor', 'c.rd_rs1p,c.rs2p,c.rd_rs1p', 'c.xor'),
  insn('xor', 'rd,rs1,rs2'),
  insn('lwu', 'rd,imm12(rs1)'),
  alias('ld', 'c.rd,c.ldspimm(sp)', 'c.ldsp'),
  alias('ld', 'c.rdp,c.dimm(c.rs1p)', 'c.ld'),
  insn('ld', 'rd,imm12(rs1)'),
  alias('sd', 'c.rs2,c.sdspimm(sp)', 'c.sdsp'),
  alias('sd', 'c.rs2p,c.dimm(c.rs1p)', 'c.sd'),
  insn('sd', 'rs2,simm12(rs1)'),
  alias('sext.w', 'c.rd_rs1,c.rd_rs1', 'c.addiw', { 'c.imm6': 0 }),
  alias('sext.w', 'rd,rs1', 'addiw', { imm12: 0 }),
  alias('addw', 'c.rd_rs1,c.rd_rs1,c.imm6', 'c.addiw'),
  alias('addiw', 'c.rd_rs1,c.rd_rs1,c.imm6', 'c.addiw'),
  alias('addw', 'rd,rs1,imm12', 'addiw'),
  insn('addiw', 'rd,rs1,imm12'),
  alias('addw', 'c.rd_rs1p,c.rd_rs1p,c.rs2p', 'c.addw'),
  alias('addw', 'c.rd_rs1p,c.rs2p,c.rd_rs1p', 'c.addw'),
  insn('addw', 'rd,rs1,rs2'),
  alias('negw', 'rd,rs2', 'subw', { rs1: 0 }),
  alias('sllw', 'rd,rs1,shamt5', 'slliw'),
  insn('slliw', 'rd,rs1,shamt5'),
  insn('sllw', 'rd,rs1,rs2'),
  alias('srlw', 'rd,rs1,shamt5', 'srliw'),
  insn('srliw', 'rd,rs1,shamt5'),
  insn('srlw', 'rd,rs1,rs2'),
  alias('sraw', 'rd,rs1,shamt5', 'sraiw'),
  insn('sraiw', 'rd,rs1,shamt5'),
  insn('sraw', 'rd,rs1,rs2'),
  alias('subw', 'c.rd_rs1p,c.rd_rs1p,c.rs2p', 'c.subw'),
  insn('subw', 'rd,rs1,rs2'),
  // A
  ...atomicEntries(),
  // M
  insn('mul', 'rd,rs1,rs2'),
  insn('mulh', 'rd,rs1,rs2'),
  insn('mulhu', 'rd,rs1,rs2'),
  insn('mulhsu', 'rd,rs1,rs2'),
  insn('div', 'rd,rs1,rs2'),
  insn('divu', 'rd,rs1,rs2'),
  insn('rem', 'rd,rs1,rs2'),
  insn('remu', 'rd,rs1,rs2'),
  insn('mulw', 'rd,rs1,rs2'),
  insn('divw', 'rd,rs1,rs2'),
  insn('divuw', 'rd,rs1,rs2'),
  insn('remw', 'rd,rs1,rs2'),
  insn('remuw', 'rd,rs1,rs2'),
  // The F extension's CSR shorthands (its CSRs are part of Zicsr's space)
  alias('frcsr', 'rd', 'csrrs', { rs1: 0, csr: CSR_FCSR }),
  alias('frsr', 'rd', 'csrrs', { rs1: 0, csr: CSR_FCSR }),
  alias('fscsr', 'rs1', 'csrrw', { rd: 0, csr: CSR_FCSR }),
  alias('fscsr', 'rd,rs1', 'csrrw', { csr: CSR_FCSR }),
  alias('fssr', 'rs1', 'csrrw', { rd: 0, csr: CSR_FCSR }),
  alias('fssr', 'rd,rs1', 'csrrw', { csr: CSR_FCSR }),
  alias('frrm', 'rd', 'csrrs', { rs1: 0, csr: CSR_FRM }),
  alias('fsrm', 'rs1', 'csrrw', { rd: 0, csr: CSR_FRM }),
  alias('fsrm', 'rd,rs1', 'csrrw', { csr: CSR_FRM }),
  alias('fsrmi', 'rd,zimm', 'csrrwi', { csr: CSR_FRM }),
  alias('fsrmi', 'zimm', 'csrrwi', { rd: 0, csr: CSR_FRM }),
  alias('frflags', 'rd', 'csrrs', { rs1: 0, csr: CSR_FFLAGS }),
  alias('fsflags', 'rs1', 'csrrw', { rd: 0, csr: CSR_FFLAGS }),
  alias('fsflags', 'rd,rs1', 'csrrw', { csr: CSR_FFLAGS }),
  alias('fsflagsi', 'rd,zimm', 'csrrwi', { csr: CSR_FFLAGS }),
  alias('fsflagsi', 'zimm', 'csrrwi', { rd: 0, csr: CSR_FFLAGS }),
  // Compressed floating-point loads and stores (part of C for RV64GC)
  alias('fld', 'c.frd,c.ldspimm(sp)', 'c.fldsp'),
  alias('fld', 'c.frdp,c.dimm(c.rs1p)', 'c.fld'),
  alias('fsd', 'c.frs2,c.sdspimm(sp)', 'c.fsdsp'),
  alias('fsd', 'c.frs2p,c.dimm(c.rs1p)', 'c.fsd'),
  // Zicsr (binutils 2.40 prints an immediate form under the register form's name)
  alias('csrr', 'rd,csr', 'csrrs', { rs1: 0 }),
  alias('csrw', 'csr,rs1', 'csrrw', { rd: 0 }),
  alias('csrw', 'csr,zimm', 'csrrwi', { rd: 0 }),
  alias('csrs', 'csr,rs1', 'csrrs', { rd: 0 }),
  alias('csrs', 'csr,zimm', 'csrrsi', { rd: 0 }),
  alias('csrc', 'csr,rs1', 'csrrc', { rd: 0 }),
  alias('csrc', 'csr,zimm', 'csrrci', { rd: 0 }),
  alias('csrwi', 'csr,zimm', 'csrrwi', { rd: 0 }),
  alias('csrsi', 'csr,zimm', 'csrrsi', { rd: 0 }),
  alias('csrci', 'csr,zimm', 'csrrci', { rd: 0 }),
  insn('csrrw', 'rd,csr,rs1'),
  alias('csrrw', 'rd,csr,zimm', 'csrrwi'),
  insn('csrrs', 'rd,csr,rs1'),
  alias('csrrs', 'rd,csr,zimm', 'csrrsi'),
  insn('csrrc', 'rd,csr,rs1'),
  alias('csrrc', 'rd,csr,zimm', 'csrrci'),
  insn('csrrwi', 'rd,csr,zimm'),
  insn('csrrsi', 'rd,csr,zimm'),
  insn('csrrci', 'rd,csr,zimm'),
  // Privileged
  insn('uret', ''),
  insn('sret', ''),
  insn('mret', ''),
  insn('dret', ''),
  insn('sfence.vm', '', 'sfence.vm', { rs1: 0 }),
  insn('sfence.vm', 'rs1'),
  alias('sfence.vma', '', 'sfence.vma', { rs1: 0, rs2: 0 }),
  alias('sfence.vma', 'rs1', 'sfence.vma', { rs2: 0 }),
  insn('sfence.vma', 'rs1,rs2'),
  insn('wfi', ''),
  // The compressed instructions under their own names (what objdump -M no-aliases prints)
  insn('c.unimp', ''),
  insn('c.ebreak', ''),
  insn('c.jr', 'c.rs1'),
  insn('c.jalr', 'c.rs1'),
  insn('c.j', 'c.jimm'),
  insn('c.beqz', 'c.rs1p,c.bimm'),
  insn('c.bnez', 'c.rs1p,c.bimm'),
  insn('c.lwsp', 'c.rd,c.lwspimm(sp)'),
  insn('c.lw', 'c.rdp,c.wimm(c.rs1p)'),
  insn('c.swsp', 'c.rs2,c.swspimm(sp)'),
  insn('c.sw', 'c.rs2p,c.wimm(c.rs1p)'),
  alias('c.nop', '', 'c.addi', { 'c.rd_rs1': 0, 'c.imm6': 0 }),
  alias('c.nop', 'c.imm6', 'c.addi', { 'c.rd_rs1': 0 }, { 'c.imm6': 0 }), // a HINT
  insn('c.mv', 'c.rd,c.rs2'),
  insn('c.lui', 'c.rd,c.luiimm'),
  insn('c.li', 'c.rd,c.imm6'),
  insn('c.addi4spn', 'c.rdp,sp,c.spnimm'),
  entry('c.addi16sp', 'sp,c.sp16imm', 'c.addi16sp', { asmNot: { 'c.sp16imm': 0 } }),
  insn('c.addi', 'c.rd_rs1,c.imm6'),
  insn('c.addiw', 'c.rd_rs1,c.imm6'),
  insn('c.add', 'c.rd_rs1,c.rs2'),
  insn('c.sub', 'c.rd_rs1p,c.rs2p'),
  insn('c.and', 'c.rd_rs1p,c.rs2p'),
  insn('c.or', 'c.rd_rs1p,c.rs2p'),
  insn('c.xor', 'c.rd_rs1p,c.rs2p'),
  insn('c.subw', 'c.rd_rs1p,c.rs2p'),
  insn('c.addw', 'c.rd_rs1p,c.rs2p'),
  insn('c.slli', 'c.rd_rs1,c.shamt', 'c.slli', {}, { 'c.shamt': 0 }),
  insn('c.srli', 'c.rd_rs1p,c.shamt', 'c.srli', {}, { 'c.shamt': 0 }),
  insn('c.srai', 'c.rd_rs1p,c.shamt', 'c.srai', {}, { 'c.shamt': 0 }),
  insn('c.slli64', 'c.rd_rs1', 'c.slli', { 'c.shamt': 0 }),
  insn('c.srli64', 'c.rd_rs1p', 'c.srli', { 'c.shamt': 0 }),
  insn('c.srai64', 'c.rd_rs1p', 'c.srai', { 'c.shamt': 0 }),
  insn('c.andi', 'c.rd_rs1p,c.imm6'),
  insn('c.ldsp', 'c.rd,c.ldspimm(sp)'),
  insn('c.ld', 'c.rdp,c.dimm(c.rs1p)'),
  insn('c.sdsp', 'c.rs2,c.sdspimm(sp)'),
  insn('c.sd', 'c.rs2p,c.dimm(c.rs1p)'),
  insn('c.fldsp', 'c.frd,c.ldspimm(sp)'),
  insn('c.fld', 'c.frdp,c.dimm(c.rs1p)'),
  insn('c.fsdsp', 'c.frs2,c.sdspimm(sp)'),
  insn('c.fsd', 'c.frs2p,c.dimm(c.rs1p)'),
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
