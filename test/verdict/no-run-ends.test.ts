// When every run loops forever there is no outcome: a claim about how runs end would hold
// of none, so it cannot fail; it must not pass either (issue 14).

import { describe, expect, it } from 'vitest';
import { checksOf } from '../../src/report/index.ts';
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

describe('no run ends', () => {
  it('never and always fail under every configuration, whatever xfail says; sometimes fails as it may be declared to; eventually finds the loop', () => {
    const r = run(SPIN);
    expect(r.configs.map((c) => c.model.fetch)).toHaveLength(5);
    for (const c of r.configs) {
      expect(c.complete).toBe(true);
      expect(c.outcomes).toEqual([]);
      expect(c.claims.map((x) => [x.verdict, x.status])).toEqual([
        ['fail', 'fail'],
        ['fail', 'fail'],
        ['fail', 'fail'],
        ['fail', 'fail'], // declared to fail, but for a crash: no run shows one
        ['fail', 'xfail'], // no run completes: as declared
        ['fail', 'fail'],
      ]);
      expect(c.claims[5].counterexample?.loopFrom).toBeDefined(); // the lasso
      expect(c.table!.rows.map((x) => [x.verdict, x.status])).toEqual([['fail', 'fail']]);
    }
    expect(r.status).toBe('fail');
  });

  it('the reports say why: no run ends', () => {
    const checks = checksOf(run(SPIN, { configs: ['ziccif-only'] }));
    const why = checks.filter((c) => c.kind !== 'record' && c.status === 'fail' && c.text !== 'eventually: complete').map((c) => c.why);
    expect(why).toHaveLength(5);
    for (const w of why) expect(w).toBe('no run ends (every run loops forever): there is no outcome to judge it by');
  });

  it('a search cut short with no run ended yet is incomplete, not failed', () => {
    const c = run(SPIN, { configs: ['ziccif-only'], budget: { maxStates: 0 } }).configs[0];
    expect(c.complete).toBe(false);
    expect(c.claims.slice(0, 4).map((x) => x.verdict)).toEqual(['incomplete', 'incomplete', 'incomplete', 'incomplete']);
  });
});
