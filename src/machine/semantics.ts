// What each operation does, one small function per operation (as Spike keeps one file
// per instruction). Registers hold unsigned 64-bit bigints; signed views are taken where
// the ISA compares or shifts arithmetically.

import type { Decoded } from '../isa/index.ts';

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint) => v & M64;
const s64 = (v: bigint) => BigInt.asIntN(64, v);
/** RV64 *W operations: compute on the low 32 bits, sign-extend the result. */
const w32 = (v: bigint) => u64(BigInt.asIntN(32, v));

/** The memory an instruction may touch: data loads and stores in the current memory. */
export interface DataPort {
  load(addr: bigint, size: number): bigint | { fault: string };
  store(addr: bigint, size: number, value: bigint): undefined | { fault: string };
}

export interface ExecInput {
  readonly d: Decoded;
  readonly pc: bigint;
  /** A copy the executor may write (x0 is restored by the caller). */
  readonly regs: bigint[];
  readonly data: DataPort;
}

export type ExecResult =
  | { readonly next: bigint; readonly fenceI?: true }
  | { readonly trap: 'illegal-instruction' | 'breakpoint' | 'ecall' }
  | { readonly fault: string; readonly addr: bigint };

type Executor = (x: ExecInput) => ExecResult;

const seq = (x: ExecInput): ExecResult => ({ next: x.pc + BigInt(x.d.length) });

function alu(f: (a: bigint, b: bigint) => bigint): Executor {
  return (x) => {
    x.regs[x.d.rd] = f(x.regs[x.d.rs1], x.regs[x.d.rs2]);
    return seq(x);
  };
}

function aluImm(f: (a: bigint, imm: bigint) => bigint): Executor {
  return (x) => {
    x.regs[x.d.rd] = f(x.regs[x.d.rs1], BigInt(x.d.imm));
    return seq(x);
  };
}

function branch(taken: (a: bigint, b: bigint) => boolean): Executor {
  return (x) => (taken(x.regs[x.d.rs1], x.regs[x.d.rs2]) ? { next: u64(x.pc + BigInt(x.d.imm)) } : seq(x));
}

function load(size: number, signed: boolean): Executor {
  return (x) => {
    const addr = u64(x.regs[x.d.rs1] + BigInt(x.d.imm));
    if (addr % BigInt(size) !== 0n) return { fault: `misaligned ${size}-byte load`, addr };
    const v = x.data.load(addr, size);
    if (typeof v !== 'bigint') return { fault: v.fault, addr };
    x.regs[x.d.rd] = signed ? u64(BigInt.asIntN(size * 8, v)) : v;
    return seq(x);
  };
}

function store(size: number): Executor {
  return (x) => {
    const addr = u64(x.regs[x.d.rs1] + BigInt(x.d.imm));
    if (addr % BigInt(size) !== 0n) return { fault: `misaligned ${size}-byte store`, addr };
    const r = x.data.store(addr, size, BigInt.asUintN(size * 8, x.regs[x.d.rs2]));
    return r ? { fault: r.fault, addr } : seq(x);
  };
}

const shamt64 = (b: bigint) => b & 63n;
const shamt32 = (b: bigint) => b & 31n;
const upper = (imm: number) => BigInt.asIntN(32, BigInt(imm) << 12n);

export const EXECUTORS: Readonly<Record<string, Executor>> = {
  lui: (x) => {
    x.regs[x.d.rd] = u64(upper(x.d.imm));
    return seq(x);
  },
  auipc: (x) => {
    x.regs[x.d.rd] = u64(x.pc + upper(x.d.imm));
    return seq(x);
  },
  jal: (x) => {
    const target = u64(x.pc + BigInt(x.d.imm));
    x.regs[x.d.rd] = u64(x.pc + BigInt(x.d.length));
    return { next: target };
  },
  jalr: (x) => {
    // Read the base before writing the link: `jalr t0, imm(t0)` uses t0 for both.
    const target = u64(x.regs[x.d.rs1] + BigInt(x.d.imm)) & ~1n;
    x.regs[x.d.rd] = u64(x.pc + BigInt(x.d.length));
    return { next: target };
  },
  beq: branch((a, b) => a === b),
  bne: branch((a, b) => a !== b),
  blt: branch((a, b) => s64(a) < s64(b)),
  bge: branch((a, b) => s64(a) >= s64(b)),
  bltu: branch((a, b) => a < b),
  bgeu: branch((a, b) => a >= b),
  lb: load(1, true),
  lh: load(2, true),
  lw: load(4, true),
  ld: load(8, true),
  lbu: load(1, false),
  lhu: load(2, false),
  lwu: load(4, false),
  sb: store(1),
  sh: store(2),
  sw: store(4),
  sd: store(8),
  addi: aluImm((a, i) => u64(a + i)),
  slti: aluImm((a, i) => (s64(a) < i ? 1n : 0n)),
  sltiu: aluImm((a, i) => (a < u64(i) ? 1n : 0n)),
  xori: aluImm((a, i) => u64(a ^ u64(i))),
  ori: aluImm((a, i) => u64(a | u64(i))),
  andi: aluImm((a, i) => a & u64(i)),
  slli: aluImm((a, i) => u64(a << shamt64(i))),
  srli: aluImm((a, i) => a >> shamt64(i)),
  srai: aluImm((a, i) => u64(s64(a) >> shamt64(i))),
  add: alu((a, b) => u64(a + b)),
  sub: alu((a, b) => u64(a - b)),
  sll: alu((a, b) => u64(a << shamt64(b))),
  slt: alu((a, b) => (s64(a) < s64(b) ? 1n : 0n)),
  sltu: alu((a, b) => (a < b ? 1n : 0n)),
  xor: alu((a, b) => a ^ b),
  srl: alu((a, b) => a >> shamt64(b)),
  sra: alu((a, b) => u64(s64(a) >> shamt64(b))),
  or: alu((a, b) => a | b),
  and: alu((a, b) => a & b),
  addiw: aluImm((a, i) => w32(a + i)),
  slliw: aluImm((a, i) => w32(a << shamt32(i))),
  srliw: aluImm((a, i) => w32((a & 0xffffffffn) >> shamt32(i))),
  sraiw: aluImm((a, i) => w32(BigInt.asIntN(32, a) >> shamt32(i))),
  addw: alu((a, b) => w32(a + b)),
  subw: alu((a, b) => w32(a - b)),
  sllw: alu((a, b) => w32(a << shamt32(b))),
  srlw: alu((a, b) => w32((a & 0xffffffffn) >> shamt32(b))),
  sraw: alu((a, b) => w32(BigInt.asIntN(32, a) >> shamt32(b))),
  // Stores reach memory in program order (stores: sc), so a data FENCE orders nothing more.
  fence: seq,
  'fence.i': (x) => ({ next: x.pc + BigInt(x.d.length), fenceI: true }),
  ecall: () => ({ trap: 'ecall' }),
  ebreak: () => ({ trap: 'breakpoint' }),
  illegal: () => ({ trap: 'illegal-instruction' }),
};

export function execute(x: ExecInput): ExecResult {
  const run = EXECUTORS[x.d.op] ?? EXECUTORS.illegal;
  const r = run(x);
  x.regs[0] = 0n;
  return r;
}
