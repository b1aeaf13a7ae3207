// Decoding: from a word to the operation and operands the machine executes. The table's
// base encodings are tried most specific first; a word none describes is "illegal".

import { extractField, insertField } from './fields.ts';
import { BASES } from './encodings.ts';
import type { BaseInsn, Decoded, FieldConstraint } from './types.ts';

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
}

const bySpecificity = (a: BaseInsn, b: BaseInsn) => popcount(b.mask) - popcount(a.mask);
const BASES_32 = Object.values(BASES).filter((b) => b.length === 4).sort(bySpecificity);
const BASES_16 = Object.values(BASES).filter((b) => b.length === 2).sort(bySpecificity);

/** The length a parcel announces: 2 for a compressed instruction, 4 for a 32-bit one, 0 beyond. */
export function instructionLength(lowParcel: number): 0 | 2 | 4 {
  if ((lowParcel & 3) !== 3) return 2;
  if ((lowParcel & 0x1c) !== 0x1c) return 4;
  return 0; // 48-bit and longer encodings: none is defined for RV64GC
}

/** Whether an encoding (a base, or a table entry on one) describes `bits`, the values it excludes considered. */
export function describes(e: { match: number; mask: number; not: readonly FieldConstraint[] }, fields: BaseInsn['fields'], bits: number): boolean {
  if (((bits & e.mask) >>> 0) !== e.match) return false;
  for (const c of e.not) {
    const f = fields.find((x) => x.name === c.field);
    if (f && extractField(f, bits) === c.value) return false;
  }
  return true;
}

function illegal(bits: number, length: 2 | 4): Decoded {
  return { op: 'illegal', name: 'illegal', length, bits, rd: 0, rs1: 0, rs2: 0, imm: 0, pred: 0, succ: 0, fm: 0, csr: 0, aqrl: 0 };
}

/** The base encoding describing an instruction's bits (16 or 32 of them), and its field values. */
export function decodeFields(bits: number, length: 2 | 4): { base: BaseInsn; values: Record<string, number> } | undefined {
  const base = (length === 2 ? BASES_16 : BASES_32).find((b) => describes(b, b.fields, bits));
  if (!base) return undefined;
  const values: Record<string, number> = {};
  for (const f of base.fields) values[f.name] = extractField(f, bits);
  return { base, values };
}

/** The bits of a base encoding with the given field values (a decoded word's inverse). */
export function encodeBase(base: BaseInsn, values: Record<string, number>): number {
  let bits = base.match;
  for (const f of base.fields) if (f.name in values) bits = insertField(f, bits, values[f.name]);
  return bits >>> 0;
}

function decodeUncached(bits: number, length: 2 | 4): Decoded {
  const candidates = length === 2 ? BASES_16 : BASES_32;
  const base = candidates.find((b) => describes(b, b.fields, bits));
  if (!base) return illegal(bits, length);
  const slots: Record<string, number> = { rd: 0, rs1: 0, rs2: 0, imm: 0, pred: 0, succ: 0, fm: 0, csr: 0, aqrl: 0, frd: 0, frs2: 0, ...base.implied };
  for (const f of base.fields) {
    const v = extractField(f, bits);
    for (const s of f.slots) slots[s] = v;
  }
  return Object.freeze({
    op: base.op,
    name: base.name,
    length,
    bits,
    rd: slots.rd,
    rs1: slots.rs1,
    rs2: slots.rs2,
    imm: slots.imm,
    pred: slots.pred,
    succ: slots.succ,
    fm: slots.fm,
    csr: slots.csr,
    aqrl: slots.aqrl,
  });
}

/** Decoding without the cache: what the first sight of a word costs (benchmarks use it). */
export function decodeUncached32or16(word: number): Decoded {
  const w = word >>> 0;
  const len = instructionLength(w & 0xffff);
  if (len === 2) return decodeUncached(w & 0xffff, 2);
  return len === 0 ? illegal(w, 4) : decodeUncached(w, 4);
}

// The simulator decodes the same few words millions of times: cache every answer.
const cache16: (Decoded | undefined)[] = new Array(0x10000);
const cache32 = new Map<number, Decoded>();
const CACHE32_LIMIT = 1 << 20;

/**
 * Decode the instruction that starts with `word`'s low parcel. `word` holds 32 bits
 * (the upper parcel is ignored for a compressed instruction). Never throws: a word that
 * is no instruction decodes to op "illegal".
 */
export function decode(word: number): Decoded {
  const w = word >>> 0;
  const len = instructionLength(w & 0xffff);
  if (len === 2) {
    const p = w & 0xffff;
    return (cache16[p] ??= decodeUncached(p, 2));
  }
  if (len === 0) return illegal(w, 4);
  let d = cache32.get(w);
  if (!d) {
    d = decodeUncached(w, 4);
    if (cache32.size >= CACHE32_LIMIT) cache32.clear(); // random-word sweeps must not grow it without bound
    cache32.set(w, d);
  }
  return d;
}
