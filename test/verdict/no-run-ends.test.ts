// Runs that never end are judged too (issue 14): where a run goes round for ever with no
// way to end, it is an outcome ("no run from here ends, it loops for ever"), with what it
// did by then. Otherwise a claim about how runs end would hold of none when every run
// loops, and a run that calls what it must never call and then loops would escape it.

import { describe, expect, it } from 'vitest';
import { run } from '../helpers.ts';

/** A remote hart that spins forever: no run ends, under any configuration. */
const SPIN = `
name: spin
code:
  spin:
    at: 0x1000
    asm: |
      loop: j loop
  never:
    at: 0x2000
    asm: |
      nop
harts:
  - run: spin
claims:
  - always: complete
  - always: { final: "cpu1:a0=42" }
  - never: { final: "cpu1:a0=0" }
  - never: crash
    xfail: a crash was expected
  - sometimes: complete
    xfail: it livelocks
  - eventually: complete
table:
  alphabet: { n: { exec: never } }
  classes: { spinning: no-calls }
  rows: ["n -- impossible"]
`;

describe('runs that never end', () => {
  it('every run loops: never and always are judged by the loop, sometimes fails as it may be declared to, eventually finds the lasso', () => {
    const r = run(SPIN);
    expect(r.configs.map((c) => c.model.fetch)).toHaveLength(5);
    for (const c of r.configs) {
      expect(c.complete).toBe(true);
      expect(c.outcomes.map((o) => o.ending)).toEqual([{ kind: 'deadlock', detail: 'no run from here ends, it loops for ever: cpu1 has not finished' }]);
      expect(c.claims.map((x) => [x.verdict, x.status])).toEqual([
        ['fail', 'fail'], // always: complete
        ['fail', 'fail'], // a0 is 0 while it loops
        ['fail', 'fail'],
        ['pass', 'xpass'], // declared to fail, but for a crash: no run shows one
        ['fail', 'xfail'], // no run completes: as declared
        ['fail', 'fail'],
      ]);
      expect(c.claims[0].counterexample?.ending).toEqual(c.outcomes[0].ending);
      expect(c.claims[5].counterexample?.loopFrom).toBeDefined(); // the lasso
      expect(c.table!.rows.map((x) => x.verdict)).toEqual(['pass']); // n is never executed, in the only run there is
    }
    expect(r.status).toBe('fail');
  });

  it('a run that does what is claimed never to happen and then loops fails the claim, reduced or not', () => {
    const s = `
name: loop-after-bad
symbols:
  bad: 0x5000
stubs:
  bad: { return: ra }
data:
  flag: { at: 0x3000, asm: ".word 0" }
code:
  spin:
    at: 0x1000
    asm: |
      lw a0, 0(a1)
      beqz a0, out
      call bad
      loop: j loop
      out: nop
harts:
  - name: cpu1
    run: spin
    regs: { a1: flag }
patch:
  - store: { at: flag, value: 1, size: 4 }
claims:
  - never: { calls: bad }
  - sometimes: complete
`;
    for (const reduction of [true, false]) {
      const c = run(s, { configs: ['ziccif-only'], reduction }).configs[0];
      expect(c.outcomes.map((o) => o.ending.kind).sort()).toEqual(['complete', 'deadlock']);
      expect(c.claims.map((x) => x.verdict)).toEqual(['fail', 'pass']);
      expect(c.claims[0].counterexample!.steps.some((st) => st.events.some((e) => e.kind === 'call' && e.stub === 'bad'))).toBe(true);
    }
  });

  it("a spin that another hart's step ends is no such outcome: the run may always still end", () => {
    const s = `
name: spin-until-flag
data:
  flag: { at: 0x3000, asm: ".word 0" }
code:
  wait:
    at: 0x1000
    asm: |
      1: lw a0, 0(a1)
      beqz a0, 1b
      nop
harts:
  - name: cpu1
    run: wait
    regs: { a1: flag }
patch:
  - store: { at: flag, value: 1, size: 4 }
claims:
  - always: complete
`;
    for (const reduction of [true, false]) {
      const c = run(s, { configs: ['ziccif-only'], reduction }).configs[0];
      expect(c.outcomes.map((o) => o.ending.kind)).toEqual(['complete']);
      expect(c.claims[0].verdict).toBe('pass');
    }
  });

  it('a search cut short with no run ended yet is incomplete, not failed', () => {
    const c = run(SPIN, { configs: ['ziccif-only'], budget: { maxStates: 0 } }).configs[0];
    expect(c.complete).toBe(false);
    expect(c.claims.slice(0, 4).map((x) => x.verdict)).toEqual(['incomplete', 'incomplete', 'incomplete', 'incomplete']);
  });
});
