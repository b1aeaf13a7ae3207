// Claims and table rows judged on small scenarios whose behaviours are easy to list.

import { describe, expect, it } from 'vitest';
import { oneWordTable, outcomesUpTo, pairSite, PATCH_ONE_WORD, run as judge, satisfiedUpTo, under } from '../helpers.ts';

/** Judged under ziccif-only: the counts below are that configuration's. */
const run = (yaml: string, options: Parameters<typeof judge>[1] = {}) => under(judge(yaml, { configs: ['ziccif-only'], ...options }));

const withClaims = (claims: string, extra = '') => `${PATCH_ONE_WORD.trim()}\nclaims:\n${claims}\n${extra}`;

describe('claims', () => {
  it('never / always / sometimes, with counts of the distinct outcomes where the predicate holds', () => {
    const r = run(
      withClaims(`  - never: crash
  - never: { calls: new_target }
  - always: { any: [{ calls: old_target }, { calls: new_target }] }
  - always: { calls: old_target }
  - sometimes: { calls: new_target }
  - sometimes: deadlock
  - never: { call-outside: [old_target, new_target] }
  - never: { call-outside: [old_target] }`),
    );
    expect(r.claims.map((c) => c.verdict)).toEqual(['pass', 'fail', 'pass', 'fail', 'pass', 'fail', 'pass', 'fail']);
    // Two outcomes: the old target called, or the new one.
    expect(r.outcomes.map((o) => o.tasks[0].calls.map((c) => c.stub).join())).toEqual(['old_target', 'new_target']);
    const total = r.outcomes.length;
    expect(r.claims[0].satisfied).toBe(0);
    expect(r.claims[2].satisfied).toBe(total);
    // The new call and the old call split the outcomes between them.
    expect(r.claims[1].satisfied).toBe(1);
    expect(r.claims[3].satisfied).toBe(1);
    expect(r.claims[6].satisfied).toBe(0);
    expect(r.claims[1].counterexample!.steps.length).toBeGreaterThan(0);
    expect(r.claims[4].witness).toBeDefined();
    expect(r.claims[5].counterexample).toBeUndefined(); // nothing to show for "sometimes" that never happens
  });

  it('an executed pair is two instructions back to back at the entry, across an interrupt between them', () => {
    const yaml = `${pairSite('pair', '0x80020010')}insns:
  HI: auipc t0, %hi(t_old - func)
  LO: jalr t0, %lo(t_old - func)(t0)
  LO': jalr t0, %lo(t_new - func)(t0)
patch:
  - store: { at: func+4, insn: "LO'" }
  - ipi: { sync: true }
harts:
  - calls: func
claims:
  - sometimes: { executed: [HI, LO], at: func }
  - sometimes: { executed: [HI, "LO'"], at: func }
  - never: { executed: [LO, HI], at: func }
`;
    expect(run(yaml).claims.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
  });

  it('a search cut short by its budget is incomplete, unless a counterexample was already found', () => {
    const all = judge(withClaims('  - never: crash\n  - sometimes: { calls: new_target }'), { budget: { maxStates: 3 } });
    const r = under(all);
    expect(r.complete).toBe(false);
    expect(r.claims.map((c) => c.verdict)).toEqual(['incomplete', 'incomplete']);
    expect(all.verdict).toBe('incomplete');
  });
});

describe("the author's table", () => {
  const table = oneWordTable(`    0f -- old seq
    f0 -- new seq
    0 -- impossible, would be 0f (old)
    ff -- impossible
    f0f -- new seq
`);
  const yaml = `${PATCH_ONE_WORD.trim().replace('  - store: { at: func, insn: NEW }', '  - store: { at: func, insn: NEW }\n  - ipi: { sync: true }')}\n${table}`;

  it('judges each row: a class row must be seen and only in its class; an impossible row never seen', () => {
    const r = run(yaml);
    const t = r.table!;
    expect(t.rows.map((r) => `${r.row.signature} ${r.verdict}`)).toEqual(['0f fail', 'f0 pass', '0 fail', 'ff pass', 'f0f fail']);
    // 0f: a hart that runs func before its FENCE.I may already fetch the new word: both classes show.
    // Counted in outcomes: 0f calling the old target, 0f calling the new one, f0 calling the new one.
    expect(r.outcomes.map((o) => `${o.tasks[0].signature} ${o.tasks[0].calls.map((c) => c.stub).join()}`).sort()).toEqual(['0f new_target', '0f old_target', 'f0 new_target']);
    expect(t.rows[0].parts[0].classes).toEqual({ old: 1, new: 1 });
    expect(t.rows[0].parts[0].observed).toBe(2);
    // f0: after the FENCE.I only the new word can be fetched.
    expect(t.rows[1].parts[0].classes).toEqual({ new: 1 });
    for (const [sig, s] of t.signatures) expect(s.count, sig).toBe(r.outcomes.filter((o) => o.tasks[0].signature === sig).length);
    // 0 is impossible indeed (every run takes the IPI), but its alternative "0f (old)" fails as above.
    expect(t.rows[2].parts.map((p) => p.verdict)).toEqual(['pass', 'fail']);
    expect(t.rows[4].parts[0]).toMatchObject({ verdict: 'fail', observed: 0 }); // never seen
  });

  it('lists what it sees that no row mentions', () => {
    const t = run(yaml).table!;
    expect(t.unlisted).toEqual([]);
    const shorter = run(yaml.replace('    f0 -- new seq\n', '')).table!;
    expect(shorter.unlisted).toEqual(['f0']);
  });
});

describe('symmetry', () => {
  it('merging states equal up to swapping identical harts changes no verdict, and counts an outcome and its swapped twin once', () => {
    const yaml = withClaims('  - never: crash\n  - sometimes: { calls: new_target }\n  - always: { calls: old_target }').replace(
      '  - calls: func',
      '  - calls: func\n    count: 3\n    times: 2',
    );
    const plainResult = judge(yaml, { configs: ['ziccif-only'], symmetry: false });
    const plain = under(plainResult);
    const sym = run(yaml);
    expect(judge(yaml, { configs: ['ziccid'] }).symmetry).toEqual([[0, 1, 2]]);
    expect(sym.stats.states).toBeLessThan(plain.stats.states);
    expect(sym.claims.map((c) => c.verdict)).toEqual(plain.claims.map((c) => c.verdict));
    const groups = [[0, 1, 2]];
    expect(sym.outcomes).toHaveLength(outcomesUpTo(plain, groups));
    expect(plain.outcomes.length).toBeGreaterThan(sym.outcomes.length);
    expect(sym.claims.map((c) => c.satisfied)).toEqual(plain.claims.map((_, k) => satisfiedUpTo(plainResult, plain, k, groups)));
  });

  it('leaves alone harts whose final registers a claim reads by name', () => {
    const yaml = `
name: named
model: { fetch: ziccid }
data:
  x: { at: 0x80002000, asm: ".word 0" }
code:
  r: { at: 0x80001000, asm: "la t0, x\\nlw a0, 0(t0)" }
patch:
  - store: { at: x, value: 1, size: 4 }
harts:
  - { run: r, count: 3 }
claims:
  - sometimes: { final: "cpu1:a0=1 /\\\\ cpu2:a0=0" }
  - sometimes: { final: "cpu1:a0=0 /\\\\ cpu2:a0=1" }
`;
    const r = judge(yaml);
    expect(r.symmetry).toEqual([]); // cpu3 alone is left, and a group needs two
    expect(r.configs[0].claims.map((c) => c.verdict)).toEqual(['pass', 'pass']);
  });
});
