// Instruction patterns: assembly text with `*` for "any value", such as `jalr t0, *(t0)`,
// compiled to the mask/match pair that recognises every encoding it describes.

import { evaluate, type ExprEnv } from './asm/expr.ts';
import { lex } from './asm/lexer.ts';
import { encodeEntry, matchEntry } from './asm/operands.ts';
import { ENTRIES_BY_NAME, needsRvc } from './table.ts';

export interface Pattern {
  readonly mask: number;
  readonly match: number;
  readonly length: 2 | 4;
}

const NO_SYMBOLS: ExprEnv = { dot: 0n, symbol: () => undefined, local: () => undefined, pcrelHiAt: () => undefined };

export function compilePattern(text: string): Pattern | { error: string; col: number } {
  const stmts = lex(text).statements;
  if (stmts.length !== 1 || !stmts[0].op) return { error: 'expected one instruction pattern', col: 1 };
  const st = stmts[0];
  const wild = st.operands.map((o) => o.text === '*' || /^\*\(/.test(o.text));
  const ops = st.operands.map((o, i) => (wild[i] ? { ...o, text: o.text.replace('*', '0') } : o));
  for (const e of ENTRIES_BY_NAME.get(st.op!) ?? []) {
    if (needsRvc(e)) continue;
    const m = matchEntry(e, ops, 0n, (x) => evaluate(x, NO_SYMBOLS));
    if (!m.ok) continue;
    let mask = e.mask;
    e.syntax.forEach((tok, i) => {
      if (tok.kind === 'field') {
        if (!wild[i]) mask |= tok.field.mask;
      } else if (tok.kind === 'mem') {
        if (typeof tok.base !== 'string') mask |= tok.base.mask;
        if (tok.offset && !wild[i]) mask |= tok.offset.mask;
      }
    });
    mask >>>= 0;
    return { mask, match: (encodeEntry(e, m.values) & mask) >>> 0, length: e.base.length };
  }
  return { error: `"${text}" is not an instruction pattern (write * for any operand)`, col: st.opCol + 1 };
}
