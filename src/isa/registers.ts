// Integer register names as GNU as accepts them and objdump prints them.

/** ABI names, indexed by register number: what objdump prints. */
export const ABI_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2',
  's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7',
  's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

const BY_NAME = new Map<string, number>();
ABI_NAMES.forEach((name, i) => {
  BY_NAME.set(name, i);
  BY_NAME.set(`x${i}`, i);
});
BY_NAME.set('fp', 8); // GNU as accepts fp as an alias of s0

/** The number of a register written as `a0`, `x10` or `fp`; undefined when it is no register. */
export function registerNumber(text: string): number | undefined {
  return BY_NAME.get(text);
}

export function registerName(n: number): string {
  return ABI_NAMES[n];
}

/** The register number as a compressed 3-bit register field encodes it (x8..x15), or undefined. */
export function compressedRegister(n: number): number | undefined {
  return n >= 8 && n <= 15 ? n - 8 : undefined;
}
