// Matching written operands against one table entry's syntax, and encoding the result.
// Range errors name the range and, for control transfers, the reach of the instruction.

import { fieldRange, fieldRangeError, insertField } from '../fields.ts';
import { BRANCH_REACH, CB_REACH, CJ_REACH, JALR_REACH, JAL_REACH, hexDistance, pcDistance, within, type Reach } from '../reach.ts';
import { compressedRegister, csrNumber, fpRegisterNumber, registerNumber } from '../registers.ts';
import type { FieldSpec, InsnEntry } from '../types.ts';
import { ExprError, parseExpr, type Expr } from './expr.ts';
import type { Operand } from './lexer.ts';

/** Evaluates an expression; undefined while a symbol is not yet known (the first pass). */
export type Evaluator = (e: Expr) => bigint | undefined;

export interface Diagnostic {
  /** 0-based column within the line. */
  readonly col: number;
  readonly message: string;
  readonly hint?: string;
}

export type MatchResult =
  | { ok: true; values: Record<string, number>; unresolved: boolean }
  /** The operands do not have this entry's shape: try the next entry. */
  | { ok: false; shape: true }
  /**
   * The shape may fit but a value does not: the error to report if no other entry takes
   * it. A value out of range (`range`) says more than an operand that does not parse.
   */
  | { ok: false; shape: false; diag: Diagnostic; range: boolean };

/** Every pc-relative field of the table, with what it is called in an error. */
const PCREL: Record<string, { reach: Reach; what: string }> = {
  bimm: { reach: BRANCH_REACH, what: 'a branch' },
  jimm: { reach: JAL_REACH, what: 'a JAL' },
  'c.bimm': { reach: CB_REACH, what: 'a C.BEQZ or C.BNEZ' },
  'c.jimm': { reach: CJ_REACH, what: 'a C.J' },
};

const MEM = /^(.*)\(\s*([\w]+)\s*\)$/;

function rangeDiag(e: InsnEntry, f: FieldSpec, value: bigint, col: number, why: string): Diagnostic {
  if (f.kind === 'pcrel') {
    const { min, max } = fieldRange(f);
    const { reach, what } = PCREL[f.name] ?? { reach: { min: BigInt(min), max: BigInt(max), text: `${min}..${max}` }, what: e.name };
    if (within(reach, value)) {
      // In reach but odd: no instruction starts there (GNU ld refuses it too, "relocation truncated to fit").
      return {
        col,
        message: `${e.name}: the target is ${hexDistance(value)} away, an odd number of bytes: instructions start at even addresses`,
        hint: '.+N counts bytes: the instruction after a 32-bit one is .+4, after a compressed one .+2',
      };
    }
    return {
      col,
      message: `${e.name}: the target is ${hexDistance(value)} away: beyond the ${reach.text} ${what} reaches (${why})`,
      hint: f.name === 'bimm' || f.name === 'c.bimm' ? 'branch around a jump' : 'use call or tail (an AUIPC+JALR pair reaches ±2 GiB)',
    };
  }
  if (e.base.op === 'jalr' && f.slots.includes('imm')) {
    return {
      col,
      message: `${e.name}: offset ${value} ${why}: a JALR alone reaches ${JALR_REACH.text} of its base register`,
      hint: `the target is ${hexDistance(value)} away from the base: use an AUIPC+JALR pair`,
    };
  }
  const shown = f.kind === 'hex' ? hexDistance(value) : String(value);
  return { col, message: `${e.name}: immediate ${shown} ${why}` };
}

function parseField(
  e: InsnEntry,
  f: FieldSpec,
  op: Operand,
  pc: bigint,
  evaluate: Evaluator,
): { value: number; unresolved: boolean } | 'shape' | (Diagnostic & { range: boolean }) {
  const text = op.text;
  if (f.kind === 'xreg' || f.kind === 'creg' || f.kind === 'freg' || f.kind === 'cfreg') {
    const fp = f.kind === 'freg' || f.kind === 'cfreg';
    const r = fp ? fpRegisterNumber(text) : registerNumber(text);
    if (r === undefined) return 'shape';
    if ((f.kind === 'creg' || f.kind === 'cfreg') && compressedRegister(r) === undefined) return 'shape';
    return { value: r, unresolved: false };
  }
  if (f.kind === 'csr') {
    const n = csrNumber(text);
    if (n !== undefined) return { value: n, unresolved: false };
  }
  if (f.kind === 'fenceset') {
    if (!/^[iorw]+$/.test(text)) return 'shape';
    let set = 0;
    for (const ch of text) set |= { w: 1, r: 2, o: 4, i: 8 }[ch as 'w' | 'r' | 'o' | 'i'];
    return { value: set, unresolved: false };
  }
  if (registerNumber(text) !== undefined) return 'shape'; // a register where an immediate belongs
  let expr: Expr;
  try {
    expr = parseExpr(text, op.col);
  } catch (err) {
    if (err instanceof ExprError) return { col: err.col, message: err.message, range: false };
    throw err;
  }
  let v: bigint | undefined;
  try {
    v = evaluate(expr);
  } catch (err) {
    if (err instanceof ExprError) return { col: err.col, message: err.message, range: true };
    throw err;
  }
  if (v === undefined) return { value: 0, unresolved: true };
  if (f.kind === 'pcrel') v = pcDistance(v, pc);
  if (f.kind === 'luihex') {
    // Written as the 20-bit LUI field it stands for; held as its sign-extended low bits.
    if (v < 0n || v > 0xfffffn) return { ...rangeDiag(e, f, v, op.col, 'out of range 0x0..0xfffff'), range: true };
    v = BigInt.asIntN(20, v);
  }
  const why = fieldRangeError(f, safeNumber(v));
  if (why) return { ...rangeDiag(e, f, v, op.col, why), range: true };
  return { value: Number(v), unresolved: false };
}

/** Is `text` the operand a literal of the syntax stands for (`sp`, `zero`, or the number 0)? */
function literalFits(literal: string, text: string, evaluate: Evaluator): boolean {
  const reg = registerNumber(literal);
  if (reg !== undefined) return registerNumber(text) === reg;
  if (registerNumber(text) !== undefined) return false;
  try {
    return evaluate(parseExpr(text)) === BigInt(literal);
  } catch (err) {
    if (err instanceof ExprError) return false;
    throw err;
  }
}

/** Clamp a bigint into the number range without losing whether it is out of any field's range. */
function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (v < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(v);
}

/** Does `ops` fit `e`'s syntax? With what field values? */
export function matchEntry(e: InsnEntry, ops: readonly Operand[], pc: bigint, evaluate: Evaluator): MatchResult {
  if (ops.length !== e.syntax.length) return { ok: false, shape: true };
  const values: Record<string, number> = { ...e.fixed };
  let unresolved = false;
  let firstDiag: (Diagnostic & { range: boolean }) | undefined;
  const put = (f: FieldSpec, op: Operand): boolean => {
    const r = parseField(e, f, op, pc, evaluate);
    if (r === 'shape') return false;
    if ('message' in r) {
      firstDiag ??= r;
      return true;
    }
    unresolved ||= r.unresolved;
    // A field written twice (addi a0,a0,1 as c.addi) must be the same both times.
    if (f.name in values && !(f.name in e.fixed) && values[f.name] !== r.value) return false;
    values[f.name] = r.value;
    return true;
  };
  for (let i = 0; i < ops.length; i++) {
    const tok = e.syntax[i];
    const op = ops[i];
    if (tok.kind === 'field') {
      if (!put(tok.field, op)) return { ok: false, shape: true };
      continue;
    }
    if (tok.kind === 'literal') {
      if (!literalFits(tok.text, op.text, evaluate)) return { ok: false, shape: true };
      continue;
    }
    const m = MEM.exec(op.text);
    if (!m || registerNumber(m[2]) === undefined) return { ok: false, shape: true };
    const offsetText = m[1].trim();
    const baseText = m[2];
    const baseCol = op.col + op.text.lastIndexOf('(') + 1;
    if (typeof tok.base === 'string') {
      if (registerNumber(baseText) !== registerNumber(tok.base)) return { ok: false, shape: true };
    } else if (!put(tok.base, { text: baseText, col: baseCol })) return { ok: false, shape: true };
    if (tok.offset) {
      if (!put(tok.offset, { text: offsetText === '' ? '0' : offsetText, col: op.col })) return { ok: false, shape: true };
    } else if (offsetText !== '' && !literalFits('0', offsetText, evaluate)) {
      return { ok: false, shape: true }; // `(a1)`, or GNU as's `0(a1)`
    }
  }
  if (firstDiag) {
    const { range, ...diag } = firstDiag;
    return { ok: false, shape: false, diag, range };
  }
  for (const c of [...e.not, ...e.asmNot]) {
    if (!unresolved && values[c.field] === c.value) return { ok: false, shape: true };
  }
  return { ok: true, values, unresolved };
}

/** The instruction bits of `e` with the given field values. */
export function encodeEntry(e: InsnEntry, values: Record<string, number>): number {
  let bits = e.match;
  for (const f of e.base.fields) {
    if (f.name in values) bits = insertField(f, bits, values[f.name]);
  }
  return bits >>> 0;
}
