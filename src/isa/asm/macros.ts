// Pseudo-instructions that become several instructions, expanded as GNU as expands them.
// Each expansion is written back as assembly text and assembled through the table, so a
// macro can produce nothing the table could not.

import { PAIR_REACH, hexDistance, pcDistance, signExtend, splitPcrel } from '../reach.ts';
import { registerName } from '../registers.ts';
import type { Diagnostic } from './operands.ts';

export interface ExpandedInsn {
  readonly op: string;
  readonly operands: readonly string[];
}

/** An operand of a macro: a register number or an evaluated expression. */
export type MacroArg = { reg: number } | { value: bigint };

function pcrelPair(target: bigint, pc: bigint, col: number, name: string): { hi20: number; lo12: number } | Diagnostic {
  const d = pcDistance(target, pc);
  const split = splitPcrel(d);
  if (!split) {
    return { col, message: `${name}: the target is ${hexDistance(d)} away: beyond the ${PAIR_REACH.text} an AUIPC+JALR pair reaches` };
  }
  return split;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** GNU as's constant loading for RV64: LUI/ADDIW for 32-bit values, then SLLI/ADDI steps. */
export function loadConstant(rd: number, value: bigint): ExpandedInsn[] {
  const r = registerName(rd);
  // GNU as computes in 64-bit two's complement: 0x7fff...ffff + 1 wraps negative.
  const lo = signExtend(value, 12);
  const up = signExtend(value - lo, 64);
  if (value !== signExtend(value, 32)) {
    let shift = 12n;
    while (((up >> shift) & 1n) === 0n) shift++;
    const seq = loadConstant(rd, up >> shift);
    seq.push({ op: 'slli', operands: [r, r, `0x${shift.toString(16)}`] });
    if (lo !== 0n) seq.push({ op: 'addi', operands: [r, r, String(lo)] });
    return seq;
  }
  const seq: ExpandedInsn[] = [];
  let base = 'zero';
  if (up !== 0n) {
    seq.push({ op: 'lui', operands: [r, hex(Number((up >> 12n) & 0xfffffn))] });
    base = r;
  }
  if (lo !== 0n || base === 'zero') seq.push({ op: 'addiw', operands: [r, base, String(lo)] });
  return seq;
}

type Expander = (args: readonly MacroArg[], pc: bigint, col: number) => ExpandedInsn[] | Diagnostic;

const reg = (a: MacroArg) => ('reg' in a ? a.reg : 0);
const val = (a: MacroArg) => ('value' in a ? a.value : 0n);

export const EXPANDERS: Record<string, Expander> = {
  /** call sym: auipc ra + jalr ra; call rd, sym: auipc t1 + jalr rd (GNU as uses t1 there). */
  call(args, pc, col) {
    const [rd, tmp] = args.length === 2 ? [reg(args[0]), 6] : [1, 1];
    const p = pcrelPair(val(args[args.length - 1]), pc, col, 'call');
    if ('message' in p) return p;
    return [
      { op: 'auipc', operands: [registerName(tmp), hex(p.hi20)] },
      { op: 'jalr', operands: [registerName(rd), `${p.lo12}(${registerName(tmp)})`] },
    ];
  },
  tail(args, pc, col) {
    const p = pcrelPair(val(args[0]), pc, col, 'tail');
    if ('message' in p) return p;
    return [
      { op: 'auipc', operands: ['t1', hex(p.hi20)] },
      { op: 'jalr', operands: ['zero', `${p.lo12}(t1)`] },
    ];
  },
  lla(args, pc, col) {
    const rd = registerName(reg(args[0]));
    const p = pcrelPair(val(args[1]), pc, col, 'lla');
    if ('message' in p) return p;
    return [
      { op: 'auipc', operands: [rd, hex(p.hi20)] },
      { op: 'addi', operands: [rd, rd, String(p.lo12)] },
    ];
  },
  li(args, _pc, col) {
    const v = val(args[1]);
    if (v < -(1n << 63n) || v >= 1n << 64n) return { col, message: `li: ${v} does not fit in 64 bits` };
    return loadConstant(reg(args[0]), signExtend(v, 64));
  },
};
