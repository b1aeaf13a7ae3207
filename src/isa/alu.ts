// What the integer computations compute: register-register and register-immediate
// operations as pure functions of their operands. The machine executes them; the
// scenario stage folds constants with them (what a hart's code stores where, for the
// safe-harbour lint). Values are unsigned 64-bit bigints; signed views are taken where
// the ISA compares, shifts arithmetically or divides.

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint) => v & M64;
const s64 = (v: bigint) => BigInt.asIntN(64, v);
/** RV64 *W operations: compute on the low 32 bits, sign-extend the result. */
const w32 = (v: bigint) => u64(BigInt.asIntN(32, v));
const shamt64 = (b: bigint) => b & 63n;
const shamt32 = (b: bigint) => b & 31n;

/** LUI's and AUIPC's 20-bit field as the sign-extended value it adds. */
export const upper = (imm: number): bigint => BigInt.asIntN(32, BigInt(imm) << 12n);

/** RISC-V division: no traps; by zero gives all ones (quotient) or the dividend (remainder). */
function divide(bits: 32 | 64, signed: boolean, remainder: boolean): (a: bigint, b: bigint) => bigint {
  const n = BigInt(bits);
  const view = (v: bigint) => (signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
  const result = (v: bigint) => (bits === 32 ? w32(v) : u64(v));
  return (a, b) => {
    const x = view(a);
    const y = view(b);
    if (y === 0n) return result(remainder ? x : -1n);
    if (signed && y === -1n && x === -(1n << (n - 1n))) return result(remainder ? 0n : x); // overflow
    return result(remainder ? x % y : x / y); // BigInt division truncates toward zero, as RISC-V does
  };
}

/** rd = f(rs1, sign-extended immediate). */
export const ALU_IMM: Readonly<Record<string, (a: bigint, imm: bigint) => bigint>> = {
  addi: (a, i) => u64(a + i),
  slti: (a, i) => (s64(a) < i ? 1n : 0n),
  sltiu: (a, i) => (a < u64(i) ? 1n : 0n),
  xori: (a, i) => u64(a ^ u64(i)),
  ori: (a, i) => u64(a | u64(i)),
  andi: (a, i) => a & u64(i),
  slli: (a, i) => u64(a << shamt64(i)),
  srli: (a, i) => a >> shamt64(i),
  srai: (a, i) => u64(s64(a) >> shamt64(i)),
  addiw: (a, i) => w32(a + i),
  slliw: (a, i) => w32(a << shamt32(i)),
  srliw: (a, i) => w32((a & 0xffffffffn) >> shamt32(i)),
  sraiw: (a, i) => w32(BigInt.asIntN(32, a) >> shamt32(i)),
};

/** rd = f(rs1, rs2). */
export const ALU_REG: Readonly<Record<string, (a: bigint, b: bigint) => bigint>> = {
  add: (a, b) => u64(a + b),
  sub: (a, b) => u64(a - b),
  sll: (a, b) => u64(a << shamt64(b)),
  slt: (a, b) => (s64(a) < s64(b) ? 1n : 0n),
  sltu: (a, b) => (a < b ? 1n : 0n),
  xor: (a, b) => a ^ b,
  srl: (a, b) => a >> shamt64(b),
  sra: (a, b) => u64(s64(a) >> shamt64(b)),
  or: (a, b) => a | b,
  and: (a, b) => a & b,
  addw: (a, b) => w32(a + b),
  subw: (a, b) => w32(a - b),
  sllw: (a, b) => w32(a << shamt32(b)),
  srlw: (a, b) => w32((a & 0xffffffffn) >> shamt32(b)),
  sraw: (a, b) => w32(BigInt.asIntN(32, a) >> shamt32(b)),
  // M
  mul: (a, b) => u64(a * b),
  mulh: (a, b) => u64((s64(a) * s64(b)) >> 64n),
  mulhsu: (a, b) => u64((s64(a) * b) >> 64n),
  mulhu: (a, b) => (a * b) >> 64n,
  mulw: (a, b) => w32(a * b),
  div: divide(64, true, false),
  divu: divide(64, false, false),
  rem: divide(64, true, true),
  remu: divide(64, false, true),
  divw: divide(32, true, false),
  divuw: divide(32, false, false),
  remw: divide(32, true, true),
  remuw: divide(32, false, true),
};

/** Whether a conditional branch is taken, by operation. */
export const BRANCH_TAKEN: Readonly<Record<string, (a: bigint, b: bigint) => boolean>> = {
  beq: (a, b) => a === b,
  bne: (a, b) => a !== b,
  blt: (a, b) => s64(a) < s64(b),
  bge: (a, b) => s64(a) >= s64(b),
  bltu: (a, b) => a < b,
  bgeu: (a, b) => a >= b,
};
