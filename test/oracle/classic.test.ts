// The axiomatic oracle on classic RVWMO data litmus tests (no self-modifying code): the
// fetch rules must not change anything here, so every configuration gives the same finals.

import { describe, expect, it } from 'vitest';
import { axiomaticExplore, axiomaticFinals, ORACLE_CONFIGS, project } from './axiomatic.ts';
import { build, type ThreadSpec } from './build.ts';

/** The distinct projections of the final states, sorted; the same under every configuration. */
function outcomes(threads: readonly ThreadSpec[], data: Record<string, number>, observe: readonly string[]): string[] {
  const b = build(threads, data);
  const locs = observe.map(b.loc);
  const { finals } = axiomaticExplore(b.system);
  const per = ORACLE_CONFIGS.map((c) => [...new Set(finals.get(c)!.map((f) => project(f, locs)))].sort());
  for (const p of per) expect(p).toEqual(per[0]);
  return per[0];
}


describe('classic RVWMO tests under the axiomatic oracle', () => {
  const xy = { x: 0, y: 0 };

  it('SB: both loads may miss the other store; fence rw,rw on both sides forbids it', () => {
    const sb = (f: string) =>
      outcomes(
        [
          { code: `sw t1, 0(a0)\n${f}\nlw s0, 0(a1)`, regs: { t1: 1, a0: 'x', a1: 'y' } },
          { code: `sw t1, 0(a1)\n${f}\nlw s0, 0(a0)`, regs: { t1: 1, a0: 'x', a1: 'y' } },
        ],
        xy,
        ['0:s0', '1:s0'],
      );
    expect(sb('nop')).toEqual(['0:s0=0; 1:s0=0;', '0:s0=0; 1:s0=1;', '0:s0=1; 1:s0=0;', '0:s0=1; 1:s0=1;']);
    expect(sb('fence rw, rw')).not.toContain('0:s0=0; 1:s0=0;');
    expect(sb('fence rw, rw')).toHaveLength(3);
    expect(sb('fence.tso')).toContain('0:s0=0; 1:s0=0;'); // FENCE.TSO does not order a store before a load
  });

  it('MP: allowed without fences, forbidden with fence w,w and fence r,r', () => {
    const mp = (w: string, r: string) =>
      outcomes(
        [
          { code: `sw t1, 0(a0)\n${w}\nsw t1, 0(a1)`, regs: { t1: 1, a0: 'x', a1: 'y' } },
          { code: `lw s0, 0(a1)\n${r}\nlw s1, 0(a0)`, regs: { a0: 'x', a1: 'y' } },
        ],
        xy,
        ['1:s0', '1:s1'],
      );
    const weak = '1:s0=1; 1:s1=0;';
    expect(mp('nop', 'nop')).toContain(weak);
    expect(mp('fence w, w', 'nop')).toContain(weak);
    expect(mp('nop', 'fence r, r')).toContain(weak);
    expect(mp('fence w, w', 'fence r, r')).toEqual(['1:s0=0; 1:s1=0;', '1:s0=0; 1:s1=1;', '1:s0=1; 1:s1=1;']);
    expect(mp('fence.tso', 'fence.tso')).not.toContain(weak);
  });

  it('LB: allowed without dependencies, forbidden with data or control dependencies', () => {
    const plain = outcomes(
      [
        { code: 'lw s0, 0(a0)\nsw t1, 0(a1)', regs: { t1: 1, a0: 'x', a1: 'y' } },
        { code: 'lw s0, 0(a1)\nsw t1, 0(a0)', regs: { t1: 1, a0: 'x', a1: 'y' } },
      ],
      xy,
      ['0:s0', '1:s0'],
    );
    expect(plain).toContain('0:s0=1; 1:s0=1;');
    expect(plain).toHaveLength(4);
    // The stored value is always 1 but depends syntactically on the loaded one.
    const dep = (load: string, store: string) => `lw s0, 0(${load})\nxor t2, s0, s0\naddi t2, t2, 1\nsw t2, 0(${store})`;
    const datas = outcomes(
      [
        { code: dep('a0', 'a1'), regs: { a0: 'x', a1: 'y' } },
        { code: dep('a1', 'a0'), regs: { a0: 'x', a1: 'y' } },
      ],
      xy,
      ['0:s0', '1:s0'],
    );
    expect(datas).toEqual(['0:s0=0; 1:s0=0;', '0:s0=0; 1:s0=1;', '0:s0=1; 1:s0=0;']);
    // A branch on the loaded value orders the later store too (rule 11), wherever it goes.
    const ctrl = (load: string, store: string) => `lw s0, 0(${load})\nbne s0, zero, 1f\n1:\nsw t1, 0(${store})`;
    const ctrls = outcomes(
      [
        { code: ctrl('a0', 'a1'), regs: { t1: 1, a0: 'x', a1: 'y' } },
        { code: ctrl('a1', 'a0'), regs: { t1: 1, a0: 'x', a1: 'y' } },
      ],
      xy,
      ['0:s0', '1:s0'],
    );
    expect(ctrls).toEqual(['0:s0=0; 1:s0=0;', '0:s0=0; 1:s0=1;', '0:s0=1; 1:s0=0;']);
  });

  it('2+2W: both first stores may end up last; fence w,w on both sides forbids it', () => {
    const w22 = (f: string) =>
      outcomes(
        [
          { code: `sw t1, 0(a0)\n${f}\nsw t2, 0(a1)`, regs: { t1: 1, t2: 2, a0: 'x', a1: 'y' } },
          { code: `sw t1, 0(a1)\n${f}\nsw t2, 0(a0)`, regs: { t1: 1, t2: 2, a0: 'x', a1: 'y' } },
        ],
        xy,
        ['x', 'y'],
      );
    expect(w22('nop')).toEqual(['x=1; y=1;', 'x=1; y=2;', 'x=2; y=1;', 'x=2; y=2;']);
    expect(w22('fence w, w')).not.toContain('x=1; y=1;');
  });

  it('CoRR: two reads of one location never see its writes out of coherence order', () => {
    const corr = outcomes(
      [
        { code: 'sw t1, 0(a0)', regs: { t1: 1, a0: 'x' } },
        { code: 'lw s0, 0(a0)\nlw s1, 0(a0)', regs: { a0: 'x' } },
      ],
      { x: 0 },
      ['1:s0', '1:s1'],
    );
    expect(corr).toEqual(['1:s0=0; 1:s1=0;', '1:s0=0; 1:s1=1;', '1:s0=1; 1:s1=1;']);
  });

  it('AMOs are atomic: two amoswap.w never both read the initial value', () => {
    const amo = outcomes(
      [
        { code: 'amoswap.w s0, t1, (a0)', regs: { t1: 1, a0: 'x' } },
        { code: 'amoswap.w s0, t1, (a0)', regs: { t1: 2, a0: 'x' } },
      ],
      { x: 0 },
      ['0:s0', '1:s0', 'x'],
    );
    expect(amo).toEqual(['0:s0=0; 1:s0=1; x=2;', '0:s0=2; 1:s0=0; x=1;']);
  });

  it('LR/SC: two SCs on one location never both succeed after reading the same value', () => {
    const swap = 'lr.w s0, (a0)\nsc.w s2, t1, (a0)';
    const finals = outcomes(
      [
        { code: swap, regs: { t1: 1, a0: 'x' } },
        { code: swap, regs: { t1: 2, a0: 'x' } },
      ],
      { x: 0 },
      ['0:s0', '0:s2', '1:s0', '1:s2', 'x'],
    );
    expect(finals).toContain('0:s0=0; 0:s2=0; 1:s0=1; 1:s2=0; x=2;');
    expect(finals).toContain('0:s0=0; 0:s2=1; 1:s0=0; 1:s2=0; x=2;'); // P0's SC fails
    expect(finals).toContain('0:s0=0; 0:s2=1; 1:s0=0; 1:s2=1; x=0;'); // SCs may fail spuriously
    expect(finals.filter((f) => f.includes('0:s0=0; 0:s2=0; 1:s0=0; 1:s2=0;'))).toEqual([]);
  });

  it('refuses, rather than loops on, values that grow without bound (an increment race)', () => {
    const b = build(
      [
        { code: 'amoadd.w s0, t1, (a0)', regs: { t1: 1, a0: 'x' } },
        { code: 'amoadd.w s0, t1, (a0)', regs: { t1: 1, a0: 'x' } },
      ],
      { x: 0 },
    );
    expect(() => axiomaticFinals(b.system, 'ziccif-only')).toThrow(/unsupported: written values do not reach a fixpoint/);
  });

  it('axiomaticFinals gives distinct final states, and refuses a candidate budget it cannot keep', () => {
    const b = build(
      [
        { code: 'sw t1, 0(a0)\nlw s0, 0(a1)', regs: { t1: 1, a0: 'x', a1: 'y' } },
        { code: 'sw t1, 0(a1)\nlw s0, 0(a0)', regs: { t1: 1, a0: 'x', a1: 'y' } },
      ],
      xy,
    );
    const finals = axiomaticFinals(b.system, 'ziccif-only');
    expect(finals).toHaveLength(4);
    expect(finals.every((f) => f.mem(b.addr('x'), 4) === 1n && f.mem(b.addr('y'), 4) === 1n)).toBe(true);
    expect(() => axiomaticFinals(b.system, 'ziccid', { maxCandidates: 1 })).toThrow(/unsupported/);
  });

  it('refuses mixed-size accesses to one location', () => {
    const b = build([{ code: 'sw t1, 0(a0)\nld s0, 0(a0)', regs: { t1: 1, a0: 'x' } }], { x: 0 });
    expect(() => axiomaticFinals(b.system, 'ziccif-only')).toThrow(/unsupported: .*overlaps/);
  });
});

