// Random small litmus tests for the soundness properties: two or three harts, each a few
// instructions drawn from loads and stores to two locations, fences of every kind, FENCE.I,
// a patchable slot (`li sN, 0` that another hart may overwrite with `li sN, 1`), a store that
// patches another hart's slot, and address and data dependencies. Written as herd litmus
// text, so that every test can be read (and rerun with `patchlit litmus`) when one fails.

import fc from 'fast-check';

export type Op =
  | { kind: 'store'; loc: 0 | 1 }
  | { kind: 'load'; loc: 0 | 1 }
  | { kind: 'fence'; pred: string; succ: string }
  | { kind: 'fence.tso' }
  | { kind: 'fence.i' }
  | { kind: 'slot' }
  | { kind: 'patch'; hart: number; slot: number }
  | { kind: 'dep-store'; loc: 0 | 1; on: 'addr' | 'data' }
  | { kind: 'amo'; loc: 0 | 1; ann: '' | '.aq' | '.rl' | '.aqrl' };

const SETS = ['r', 'w', 'rw'];

export function opArb(harts: number): fc.Arbitrary<Op> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('store' as const), loc: fc.constantFrom(0 as const, 1 as const) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('load' as const), loc: fc.constantFrom(0 as const, 1 as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('fence' as const), pred: fc.constantFrom(...SETS), succ: fc.constantFrom(...SETS) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'fence.tso' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'fence.i' as const }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'slot' as const }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('patch' as const), hart: fc.nat(harts - 1), slot: fc.nat(1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('dep-store' as const), loc: fc.constantFrom(0 as const, 1 as const), on: fc.constantFrom('addr' as const, 'data' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('amo' as const), loc: fc.constantFrom(0 as const, 1 as const), ann: fc.constantFrom('' as const, '.aq' as const, '.rl' as const, '.aqrl' as const) }) },
  );
}

/** Instructions an op assembles to (a dependent store is a load, two ALU ops and a store). */
const size = (op: Op) => (op.kind === 'dep-store' ? 4 : 1);

/**
 * Programs small enough for an exhaustive search per test: two harts of up to four ops, or
 * three of up to two, and at most eleven instructions in all.
 */
export function programArb(): fc.Arbitrary<Op[][]> {
  return fc
    .integer({ min: 2, max: 3 })
    .chain((harts) => fc.array(fc.array(opArb(harts), { minLength: 1, maxLength: harts === 2 ? 4 : 2 }), { minLength: harts, maxLength: harts }))
    .filter((p) => p.flat().reduce((n, op) => n + size(op), 0) <= 11);
}

/** The litmus text of a program; every load and slot result is observed, and both locations. */
export function litmusText(program: Op[][]): string {
  const init: string[] = [];
  const cols: string[][] = [];
  const observed: string[] = ['x', 'y'];
  program.forEach((ops, h) => {
    init.push(`${h}:a0=x`, `${h}:a1=y`, `${h}:t1=${h + 1}`, `${h}:t2=${10 * (h + 1)}`);
    const lines: string[] = [];
    let reg = 0;
    let slots = 0;
    let patches = 0;
    const next = () => `s${reg++}`;
    for (const op of ops) {
      switch (op.kind) {
        case 'store':
          lines.push(`sw ${op.loc ? 't2' : 't1'},0(${op.loc ? 'a1' : 'a0'})`);
          break;
        case 'load': {
          const r = next();
          lines.push(`lw ${r},0(${op.loc ? 'a1' : 'a0'})`);
          observed.push(`${h}:${r}`);
          break;
        }
        case 'fence':
          lines.push(`fence ${op.pred},${op.succ}`);
          break;
        case 'fence.tso':
          lines.push('fence.tso');
          break;
        case 'fence.i':
          lines.push('fence.i');
          break;
        case 'slot': {
          const r = next();
          lines.push(`m${slots++}: li ${r}, 0`);
          observed.push(`${h}:${r}`);
          break;
        }
        case 'patch': {
          // The value register holds `li sK, 1` for the slot's register, known once every
          // hart is laid out: a placeholder resolved below. Two patches per hart at most
          // (a2/t3 and a3/t4); a third is a plain store.
          if (patches === 2) {
            lines.push('sw t2,0(a1)');
            break;
          }
          const p = patches++;
          lines.push(`sw t${3 + p},0(a${2 + p})`);
          init.push(`@patch ${h} ${p} ${op.hart} ${op.slot}`);
          break;
        }
        case 'dep-store': {
          const r = next();
          lines.push(`lw ${r},0(${op.loc ? 'a0' : 'a1'})`, `xor t5,${r},${r}`);
          observed.push(`${h}:${r}`);
          if (op.on === 'addr') lines.push(`add a5,${op.loc ? 'a1' : 'a0'},t5`, `sw t1,0(a5)`);
          else lines.push(`add t6,t5,t1`, `sw t6,0(${op.loc ? 'a1' : 'a0'})`);
          break;
        }
        case 'amo': {
          const r = next();
          lines.push(`amoswap.w${op.ann} ${r},t2,(${op.loc ? 'a1' : 'a0'})`);
          observed.push(`${h}:${r}`);
          break;
        }
      }
    }
    cols.push(lines);
  });
  // Resolve the patches: the slot's label and the instruction that sets its register to 1.
  const slotRegs = program.map((ops) => {
    const regs: string[] = [];
    let reg = 0;
    for (const op of ops) {
      if (op.kind === 'load' || op.kind === 'dep-store' || op.kind === 'amo') reg++;
      if (op.kind === 'slot') regs.push(`s${reg++}`);
    }
    return regs;
  });
  const finalInit = init.flatMap((e) => {
    const m = /^@patch (\d+) (\d+) (\d+) (\d+)$/.exec(e);
    if (!m) return [e];
    const [h, p, target, slot] = m.slice(1).map(Number);
    const regs = slotRegs[target];
    if (!regs.length) return [`${h}:a${2 + p}=y`, `${h}:t${3 + p}=${10 * (h + 1)}`]; // no slot there: a plain store
    const k = slot % regs.length;
    return [`${h}:a${2 + p}=P${target}:m${k}`, `${h}:t${3 + p}=instr:"li ${regs[k]}, 1"`];
  });
  const rows = Math.max(...cols.map((c) => c.length));
  const width = 22;
  const table = [program.map((_, h) => `P${h}`.padEnd(width)).join('| ') + ';'];
  for (let i = 0; i < rows; i++) table.push(cols.map((c) => (c[i] ?? '').padEnd(width)).join('| ') + ';');
  return [`RISCV random`, 'Variant=self', `{ ${finalInit.join('; ')}; }`, ...table, `locations [${observed.join('; ')};]`, `exists (x=0)`, ''].join('\n');
}
