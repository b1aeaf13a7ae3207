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
  /** LR: reserve the bytes; SC: whether the hart still holds a reservation on them (it loses it either way). */
  reserve(addr: bigint, size: number): void;
  release(addr: bigint, size: number): boolean;
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

/** LR: a load that reserves its bytes. */
function loadReserved(size: 4 | 8): Executor {
  return (x) => {
    const addr = x.regs[x.d.rs1];
    if (addr % BigInt(size) !== 0n) return { fault: `misaligned ${size}-byte load-reserved`, addr };
    const v = x.data.load(addr, size);
    if (typeof v !== 'bigint') return { fault: v.fault, addr };
    x.data.reserve(addr, size);
    x.regs[x.d.rd] = u64(BigInt.asIntN(size * 8, v));
    return seq(x);
  };
}

/** SC: stores only if no store has touched the reserved bytes since the LR; rd = 0 on success, 1 on failure. */
function storeConditional(size: 4 | 8): Executor {
  return (x) => {
    const addr = x.regs[x.d.rs1];
    if (addr % BigInt(size) !== 0n) return { fault: `misaligned ${size}-byte store-conditional`, addr };
    const value = BigInt.asUintN(size * 8, x.regs[x.d.rs2]);
    if (x.data.release(addr, size)) {
      const r = x.data.store(addr, size, value);
      if (r) return { fault: r.fault, addr };
      x.regs[x.d.rd] = 0n;
    } else x.regs[x.d.rd] = 1n;
    return seq(x);
  };
}

/** An AMO: read, combine with rs2, write back, in one step (stores reach memory in order). */
function amo(size: 4 | 8, f: (old: bigint, src: bigint) => bigint): Executor {
  return (x) => {
    const addr = x.regs[x.d.rs1];
    if (addr % BigInt(size) !== 0n) return { fault: `misaligned ${size}-byte AMO`, addr };
    const old = x.data.load(addr, size);
    if (typeof old !== 'bigint') return { fault: old.fault, addr };
    const bits = size * 8;
    // Operate on the sign-extended values (min/max need them); write back the low bits.
    const result = f(BigInt.asIntN(bits, old), BigInt.asIntN(bits, x.regs[x.d.rs2]));
    const r = x.data.store(addr, size, BigInt.asUintN(bits, result));
    if (r) return { fault: r.fault, addr };
    x.regs[x.d.rd] = u64(BigInt.asIntN(bits, old));
    return seq(x);
  };
}

/** The AMOs of one width: .w on 32-bit values, .d on 64-bit ones. */
function amos(w: 'w' | 'd'): Record<string, Executor> {
  const size = w === 'w' ? 4 : 8;
  const bits = BigInt(size * 8);
  const unsigned = (v: bigint) => BigInt.asUintN(Number(bits), v);
  return {
    [`lr.${w}`]: loadReserved(size),
    [`sc.${w}`]: storeConditional(size),
    [`amoswap.${w}`]: amo(size, (_o, s) => s),
    [`amoadd.${w}`]: amo(size, (o, s) => o + s),
    [`amoxor.${w}`]: amo(size, (o, s) => o ^ s),
    [`amoand.${w}`]: amo(size, (o, s) => o & s),
    [`amoor.${w}`]: amo(size, (o, s) => o | s),
    [`amomin.${w}`]: amo(size, (o, s) => (o < s ? o : s)),
    [`amomax.${w}`]: amo(size, (o, s) => (o > s ? o : s)),
    [`amominu.${w}`]: amo(size, (o, s) => (unsigned(o) < unsigned(s) ? o : s)),
    [`amomaxu.${w}`]: amo(size, (o, s) => (unsigned(o) > unsigned(s) ? o : s)),
  };
}

/** RISC-V division: no traps; by zero gives all ones (quotient) or the dividend (remainder). */
function divide(bits: 32 | 64, signed: boolean, remainder: boolean): Executor {
  const n = BigInt(bits);
  const view = (v: bigint) => (signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
  const result = (v: bigint) => (bits === 32 ? w32(v) : u64(v));
  return alu((a, b) => {
    const x = view(a);
    const y = view(b);
    if (y === 0n) return result(remainder ? x : -1n);
    if (signed && y === -1n && x === -(1n << (n - 1n))) return result(remainder ? 0n : x); // overflow
    return result(remainder ? x % y : x / y); // BigInt division truncates toward zero, as RISC-V does
  });
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
  // M
  mul: alu((a, b) => u64(a * b)),
  mulh: alu((a, b) => u64((s64(a) * s64(b)) >> 64n)),
  mulhsu: alu((a, b) => u64((s64(a) * b) >> 64n)),
  mulhu: alu((a, b) => (a * b) >> 64n),
  mulw: alu((a, b) => w32(a * b)),
  div: divide(64, true, false),
  divu: divide(64, false, false),
  rem: divide(64, true, true),
  remu: divide(64, false, true),
  divw: divide(32, true, false),
  divuw: divide(32, false, false),
  remw: divide(32, true, true),
  remuw: divide(32, false, true),
  // A: each instruction is one step, and stores reach memory in order, so aq/rl add nothing here.
  ...amos('w'),
  ...amos('d'),
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
