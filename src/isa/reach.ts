// How far each control transfer reaches, and the AUIPC+JALR split of a distance.
// A JALR's 12-bit offset is sign-extended, so the AUIPC part is rounded: hi20 is
// (distance + 0x800) >> 12 and lo12 = distance - (hi20 << 12) lies in -2048..2047.

export interface Reach {
  /** Smallest and largest distance from the instruction (or base register) reachable. */
  readonly min: bigint;
  readonly max: bigint;
  /** Words a human says: "±2 KiB". */
  readonly text: string;
}

export const JALR_REACH: Reach = { min: -2048n, max: 2047n, text: '±2 KiB' };
export const CJ_REACH: Reach = { min: -2048n, max: 2046n, text: '±2 KiB' };
export const CB_REACH: Reach = { min: -256n, max: 254n, text: '±256 bytes' };
export const BRANCH_REACH: Reach = { min: -4096n, max: 4094n, text: '±4 KiB' };
export const JAL_REACH: Reach = { min: -(1n << 20n), max: (1n << 20n) - 2n, text: '±1 MiB' };
/** AUIPC+JALR: hi20 must fit a signed 20-bit field after rounding. */
export const PAIR_REACH: Reach = { min: -(1n << 31n) - 2048n, max: (1n << 31n) - 2049n, text: '±2 GiB' };

/**
 * How far `target` is from `pc`, as the hardware adds it: modulo 2^64, so that code near
 * the top of memory reaches code near 0 (and GNU ld's 64-bit relocation arithmetic agrees).
 * A target that is no 64-bit value at all (past 2^64, below -2^63) is left as far as it is,
 * for the range check to refuse.
 */
export function pcDistance(target: bigint, pc: bigint): bigint {
  const d = target - pc;
  return target >= -(1n << 63n) && target < 1n << 64n ? BigInt.asIntN(64, d) : d;
}

export function within(r: Reach, distance: bigint): boolean {
  return distance >= r.min && distance <= r.max;
}

/** The rounded upper 20 bits of a distance (signed, not yet truncated to the field). */
export function hi20(distance: bigint): bigint {
  return (distance + 0x800n) >> 12n;
}

/** The sign-extended low 12 bits that complete hi20. */
export function lo12(distance: bigint): bigint {
  return distance - (hi20(distance) << 12n);
}

/** The AUIPC field and JALR offset that reach `distance` from the AUIPC, or undefined beyond ±2 GiB. */
export function splitPcrel(distance: bigint): { hi20: number; lo12: number } | undefined {
  if (!within(PAIR_REACH, distance)) return undefined;
  return { hi20: Number(hi20(distance) & 0xfffffn), lo12: Number(lo12(distance)) };
}

const MASK64 = (1n << 64n) - 1n;

/** Sign-extends the low `bits` bits of `v`. */
export function signExtend(v: bigint, bits: number): bigint {
  const b = BigInt(bits);
  const m = (1n << b) - 1n;
  const x = v & m;
  return x >= 1n << (b - 1n) ? x - (1n << b) : x;
}

/** The address an AUIPC (20-bit field `hi`) at `pc` followed by a JALR with offset `lo` jumps to. */
export function pairTarget(pc: bigint, hi: number, lo: number): bigint {
  const upper = signExtend(BigInt(hi) << 12n, 32);
  return (pc + upper + BigInt(lo)) & MASK64 & ~1n;
}

/** "0x3f000" or "-0x3f000": distances in reports and error messages. */
export function hexDistance(d: bigint): string {
  return d < 0n ? `-0x${(-d).toString(16)}` : `0x${d.toString(16)}`;
}
