// Register names (integer, floating-point, CSR) as GNU as accepts them and objdump prints them.

import { CSR_NAMES } from './csrs.ts';

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

/** Floating-point register ABI names, as objdump prints them (compressed FP loads and stores). */
export const FP_ABI_NAMES: readonly string[] = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7',
  'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7',
  'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
];

const FP_BY_NAME = new Map<string, number>();
FP_ABI_NAMES.forEach((name, i) => {
  FP_BY_NAME.set(name, i);
  FP_BY_NAME.set(`f${i}`, i);
});

export function fpRegisterNumber(text: string): number | undefined {
  return FP_BY_NAME.get(text);
}

export function fpRegisterName(n: number): string {
  return FP_ABI_NAMES[n];
}


const CSR_BY_NUMBER = new Map(CSR_NAMES.map(([n, name]) => [n, name]));
const CSR_BY_NAME = new Map(CSR_NAMES.map(([n, name]) => [name, n]));

/** The name objdump prints for a CSR, if it has one. */
export function csrName(n: number): string | undefined {
  return CSR_BY_NUMBER.get(n);
}

/** The number of a CSR written by name. */
export function csrNumber(name: string): number | undefined {
  return CSR_BY_NAME.get(name);
}
