// `eventually` claims: judged over infinite runs too, under fairness. A counterexample
// that never ends is a lasso: the steps into a loop, then the loop, which must close.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNotebook, type Scenario } from '../../src/scenario/index.ts';
import { judgeScenario, replayMachine } from '../../src/verdict/index.ts';
import { run, under } from '../helpers.ts';

const MANUAL = 'scenarios/manual/fence-i.md';
const manual = (name: string): Scenario => readNotebook(MANUAL, readFileSync(MANUAL, 'utf8')).entries.find((e) => e.scenario.name === name)!.scenario;

/** A consumer spinning on a flag in data memory, and a producer that sets it after `before`. */
const spin = (before: string, claim = 'eventually: complete') => `
name: spin
data:
  flag: { at: 0x80002000, asm: ".word 0" }
code:
  producer:
    at: 0x80000000
    asm: |
      la t0, flag
${before}
  consumer:
    at: 0x80001000
    asm: |
      la t2, flag
      wait:
      lw a0, 0(t2)
      beqz a0, wait
harts:
  - name: producer
    run: producer
  - name: consumer
    run: consumer
claims:
  - ${claim}
`;

describe('eventually', () => {
  it("Ziccid's consumer loop terminates under ziccid only; elsewhere the report shows the loop it can repeat forever", () => {
    const s = manual('ziccid-consumer-loop');
    const r = judgeScenario(s);
    expect(r.configs.map((c) => `${c.model.fetch}: ${c.claims[0].verdict}`)).toEqual(['ziccif-only: fail', 'ziccid: pass', 'ir-decode-w: fail', 'ir-decode: fail', 'ir3-fetch: fail']);
    const c = r.configs[0];
    const lasso = c.claims[0].counterexample!;
    expect(lasso.ending).toBeUndefined();
    expect(lasso.loopFrom).toBeDefined();
    // The loop closes: replaying it returns to the state it started from.
    const m = replayMachine(s, c);
    const steps = m.replay(lasso.choices);
    const entry = steps[lasso.loopFrom! - 1].state;
    expect(m.key(steps[steps.length - 1].state)).toBe(m.key(entry));
    // And it is the consumer running its stale copy of the patched instruction.
    const loop = steps.slice(lasso.loopFrom!);
    expect(loop.some((st) => st.events.some((e) => e.kind === 'exec' && e.stale))).toBe(true);
    expect(r.explanations).toEqual([{ claim: 0, failsUnder: ['ziccif-only', 'ir-decode-w', 'ir-decode', 'ir3-fetch'], holdsUnder: ['ziccid'], deciders: [{ config: 'ziccid', rules: ['fetchInOrder', 'eventuallyVisible'] }] }]);
  });

  it('polling a flag, then FENCE.I, terminates under every configuration', () => {
    expect(judgeScenario(manual('consumer-loop-with-fence-i')).configs.map((c) => c.claims[0].verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });

  it('a load cannot read a stale flag forever (RVWMO progress), and a producer cannot be starved by the scheduler', () => {
    const r = run(spin('      li t1, 1\n      nop\n      nop\n      sw t1, 0(t0)'));
    for (const c of r.configs) expect(c.claims[0].verdict, c.model.fetch).toBe('pass');
  });

  it('a flag nobody sets is waited for forever: a lasso under every configuration', () => {
    const r = run(spin('      li t1, 0\n      sw t1, 0(t0)'));
    for (const c of r.configs) {
      expect(c.claims[0].verdict, c.model.fetch).toBe('fail');
      expect(c.claims[0].counterexample!.loopFrom).toBeGreaterThan(0);
    }
  });

  it('a run that ends without the predicate is a counterexample too', () => {
    const r = run(spin('      li t1, 1\n      sw t1, 0(t0)', 'eventually: { final: "consumer:a0=2" }'));
    const c = under(r);
    expect(c.claims[0].verdict).toBe('fail');
    expect(c.claims[0].counterexample!.ending?.kind).toBe('complete');
  });
});
