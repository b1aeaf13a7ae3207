// What each operation does, one small function per operation (as Spike keeps one file
// per instruction). Registers hold unsigned 64-bit bigints; signed views are taken where
// the ISA compares or shifts arithmetically. What the integer computations compute is
// isa/alu.ts (the scenario stage folds constants with it); here is how each reads and
// writes the hart's registers, memory and pc.

import { ALU_IMM, ALU_REG, BRANCH_TAKEN, upper, type Decoded } from '../isa/index.ts';

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint) => v & M64;

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

// The pc wraps as every address computation does (the ISA's address space is circular):
// the instruction after one at the top of memory is fetched at 0, as a jump there would be.
const seq = (x: ExecInput): ExecResult => ({ next: u64(x.pc + BigInt(x.d.length)) });

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

function mapValues<F, E>(table: Readonly<Record<string, F>>, make: (f: F) => E): Record<string, E> {
  return Object.fromEntries(Object.entries(table).map(([op, f]) => [op, make(f)]));
}

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
  ...mapValues(BRANCH_TAKEN, branch),
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
  ...mapValues(ALU_IMM, aluImm),
  ...mapValues(ALU_REG, alu),
  // A: each instruction is one step, and stores reach memory in order, so aq/rl add nothing here.
  ...amos('w'),
  ...amos('d'),
  // Stores reach memory in program order (stores: sc), so a data FENCE orders nothing more.
  fence: seq,
  'fence.i': (x) => ({ ...seq(x), fenceI: true }),
  // Legal in supervisor mode, where a scenario's code runs, and with no virtual memory in
  // the model it orders nothing: a torn fetch can make one (the lower half of an EBREAK
  // with the upper half of `lui a0, 0x12345` is 0x12340073, sfence.vma s0, gp), and the
  // hart goes on, as QEMU showed (scenarios/kernel/kprobes.md, arm-misaligned-nosync).
  'sfence.vma': seq,
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
