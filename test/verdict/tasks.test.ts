// Claims speak of tasks, not harts: a preempted task that resumes on another hart is the
// same task, and what it does there (the JALR after an AUIPC it ran elsewhere, its calls,
// a crash) is its own. These tests fail if anything is kept per hart again.

import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/verdict/index.ts';
import { errors, outcomesUpTo, run, satisfiedUpTo, under } from '../helpers.ts';

/**
 * The task checks a flag, runs FENCE.I and calls func: its hart cannot fetch the JALR'
 * that was stored and taken back before the flag. Only the AUIPC is in a masked region,
 * so the task can be switched out between the AUIPC and the JALR only, and resumed on the
 * spare hart, whose fetch state is older: there it may fetch the stale JALR'. The pair
 * AUIPC, JALR' runs back to back in the task, on two harts.
 */
const MIGRATING_PAIR = `
name: migrate-stale
model: { fetch: [ziccif-only] }
symbols:
  ftrace_caller: 0xffffffff80011a40
  new_tramp: 0xffffffff80012000
stubs:
  ftrace_caller: { return: t0 }
  new_tramp: { return: t0 }
data:
  flag: { at: 0xffffffff80a00000, asm: ".word 0" }
code:
  func:
    at: 0xffffffff8001f840
    interrupts: masked
    asm: |
      auipc t0, %hi(ftrace_caller - func)
  func_rest:
    at: 0xffffffff8001f844
    asm: |
      jalr  t0, %lo(ftrace_caller - func)(t0)
      ret
  worker:
    at: 0xffffffff80100000
    interrupts: masked
    asm: |
      la t2, flag
      lw a0, 0(t2)
      beqz a0, 1f
      fence.i
      call func
      1:
      nop
insns:
  AUIPC: auipc t0, %hi(ftrace_caller - func)
  JALR': jalr t0, %lo(new_tramp - func)(t0)
  JALR: jalr t0, %lo(ftrace_caller - func)(t0)
patch:
  - store: { at: func+4, insn: "JALR'" }
  - store: { at: func+4, insn: JALR }
  - fence w,w
  - store: { at: flag, value: 1, size: 4 }
harts:
  - name: cpu1
    run: worker
    timer: { count: 1 }
    preempt: true
spare-harts: 1
claims:
  - never: { executed: [AUIPC, "JALR'"], at: func }
  - sometimes: { executed: [AUIPC, JALR], at: func }
`;

describe('a task that moves between harts', () => {
  it('runs a pair back to back across the move: a mixed pair split over two harts is found (it passed, falsely, when pairs were kept per hart)', () => {
    const c = under(run(MIGRATING_PAIR));
    expect(c.claims.map((x) => x.verdict)).toEqual(['fail', 'pass']);
    const steps = c.claims[0].counterexample!.steps;
    const auipc = steps.flatMap((st) => st.events).find((e) => e.kind === 'exec' && e.pc === 0xffffffff8001f840n);
    const jalr = steps.flatMap((st) => st.events).find((e) => e.kind === 'exec' && e.pc === 0xffffffff8001f844n);
    expect(auipc).toMatchObject({ hart: 0, task: 0 });
    expect(jalr).toMatchObject({ hart: 1, task: 0, stale: true });
  });

  it("keeps the task's calls together in outcomes, and a spare hart has none of its own", () => {
    const r = run(MIGRATING_PAIR);
    for (const o of under(r).outcomes) {
      expect(o.tasks[1].calls).toEqual([]); // the spare hart's entry: no task
      expect(o.tasks[0].calls.length).toBeLessThanOrEqual(1);
    }
    expect(under(r).outcomes.some((o) => o.tasks[0].calls[0]?.stub === 'new_tramp')).toBe(true);
  });

  it("judges a table's class over the task's part of the run, wherever it ran", () => {
    const yaml = MIGRATING_PAIR.replace(
      /claims:[\s\S]*$/,
      `claims:
  - sometimes: { calls: new_tramp }
table:
  harts: [cpu1]
  alphabet:
    A: { exec: func }
    J: { exec: func+4 }
  classes:
    mixed: { executed: [AUIPC, "JALR'"], at: func }
    whole: { not: { executed: [AUIPC, "JALR'"], at: func } }
  rows:
    - AJ -- mixed
`,
    );
    const c = under(run(yaml));
    // The signature AJ is the task's, its second letter made on the spare hart: some runs of it are mixed.
    expect(c.table!.signatures.get('AJ')!.classes.mixed).toBeGreaterThan(0n);
  });

  it('names the task and the hart apart in the crash it causes', () => {
    // Without the new trampoline's stub, the mixed pair's jump lands where there is no code.
    const yaml = MIGRATING_PAIR.replace('  new_tramp: { return: t0 }\n', '').replace('claims:\n', 'claims:\n  - sometimes: wild-jump\n');
    const crash = under(run(yaml)).claims[0].witness!.ending!;
    expect(crash).toMatchObject({ kind: 'wild-jump', hart: 1, task: 0 });
  });
});

/** Endings and each task's calls, sorted within the task list: the outcomes seen, as multisets. */
function multiset(r: ScenarioResult): string[] {
  const keys = new Set<string>();
  for (const o of under(r).outcomes) {
    keys.add(
      `${o.ending.kind}|${o.tasks
        .map((t) => t.calls.map((c) => c.stub).join('+'))
        .sort()
        .join('/')}`,
    );
  }
  return [...keys].sort();
}

/**
 * A search with symmetry against the plain one: the same verdicts; the same outcomes,
 * an outcome and its twin with the group's tasks swapped counted once (the plain search's
 * counted so here, by the test's own key); and the claims' counts, recomputed from them.
 */
function expectPlainCounts(sym: ScenarioResult, plain: ScenarioResult): void {
  const [s, p] = [under(sym), under(plain)];
  expect(s.claims.map((c) => c.verdict)).toEqual(p.claims.map((c) => c.verdict));
  expect(s.outcomes).toHaveLength(outcomesUpTo(p, sym.symmetry));
  expect(s.outcomes).toHaveLength(outcomesUpTo(s, sym.symmetry));
  expect(s.claims.map((c) => c.satisfied)).toEqual(p.claims.map((_, k) => satisfiedUpTo(plain, p, k, sym.symmetry)));
  expect(p.claims.map((c) => c.satisfied)).toEqual(p.claims.map((_, k) => satisfiedUpTo(plain, p, k, [])));
  expect(multiset(sym)).toEqual(multiset(plain));
}

describe('symmetry with tasks that move', () => {
  // Two identical preemptible callers and a spare: tasks change harts, the keys sort harts.
  const yaml = `
name: two-callers
model: { fetch: [ziccid] }
symbols:
  t_old: 0x80000800
  t_new: 0x80000900
stubs:
  t_old: { return: ra }
  t_new: { return: ra }
code:
  func:
    at: 0x80000000
    asm: |
      j t_old
insns:
  NEW: j t_new
patch:
  - store: { at: func, insn: NEW }
harts:
  - calls: [func, func]
    count: 2
    timer: { count: 1 }
    preempt: true
spare-harts: 1
claims:
  - sometimes: { calls: t_new }
  - never: { executed: [NEW], at: func }
`;

  it('gives the verdicts and outcomes of the plain search', () => {
    const sym = run(yaml);
    const plain = run(yaml, { symmetry: false });
    expect(sym.symmetry.length).toBeGreaterThan(0);
    expectPlainCounts(sym, plain);
    // Twins exist here: the plain search lists more outcomes than there are up to symmetry.
    expect(under(plain).outcomes.length).toBeGreaterThan(under(sym).outcomes.length);
    expect(under(sym).stats.states).toBeLessThan(under(plain).stats.states);
  });

  it('never lends one task the calls of another (hash-consed hart states keep their own task)', () => {
    for (const o of under(run(yaml)).outcomes) for (const t of o.tasks) expect(t.calls.length).toBeLessThanOrEqual(2);
  });

  // A task preempted with migration disabled waits in the run queue for the hart it left,
  // by index: the keys must not sort that hart among others.
  const pinned = (count: number, calls: string) => `  - calls: ${calls}\n    count: ${count}\n    timer: { count: 1 }\n    preempt: { migrate: false }\n`;

  it('gives the verdicts and outcomes of the plain search with a task that may not migrate beside two that may', () => {
    const mixed = yaml.replace('spare-harts: 1\n', `${pinned(1, '[func]')}spare-harts: 1\n`);
    const sym = run(mixed);
    const plain = run(mixed, { symmetry: false });
    expect(sym.symmetry).toEqual([[0, 1]]);
    expectPlainCounts(sym, plain);
    expect(under(sym).stats.states).toBeLessThan(under(plain).stats.states);
  }, 120_000);

  it('keeps harts whose tasks may not migrate out of every group: sorted with them, the keys merged states with different futures', () => {
    // Two such harts alike, one caller that migrates: grouping the two changed the run count.
    const two = yaml.replace(/harts:\n[\s\S]*?claims:/, `harts:\n${pinned(2, '[func, func]')}  - calls: [func]\n    timer: { count: 1 }\n    preempt: true\nclaims:`);
    const sym = run(two);
    const plain = run(two, { symmetry: false });
    expect(sym.symmetry).toEqual([]);
    expectPlainCounts(sym, plain);
    expect(under(sym).outcomes).toHaveLength(under(plain).outcomes.length);
  }, 120_000);
});

describe('symmetry with grace periods', () => {
  // Two identical preemptible callers; the patching hart's grace period waits for some of
  // their tasks, which move between the harts: which tasks it still waits for is keyed per
  // task, with the hart that runs it, so sorting the harts within their group stays sound.
  const yaml = `
name: two-callers-grace-period
model: { fetch: [ziccid] }
symbols:
  new_tramp: 0x80009000
stubs:
  new_tramp: { return: t0 }
code:
  func:
    at: 0x80000000
    asm: |
      jal t0, old_tramp
      ret
  old_tramp:
    at: 0x80004000
    asm: |
      nop
      jr t0
insns:
  CALL': jal t0, new_tramp
patch:
  - store: { at: func, insn: "CALL'" }
  - synchronize_rcu_tasks
  - free: old_tramp
harts:
  - calls: func
    count: 2
    timer: { count: 1 }
    preempt: true
claims:
  - sometimes: illegal-instruction
  - sometimes: { calls: new_tramp }
  - never: deadlock
`;

  it('gives the verdicts and outcomes of the plain search', () => {
    const sym = run(yaml);
    const plain = run(yaml, { symmetry: false });
    expect(sym.symmetry.length).toBeGreaterThan(0);
    expectPlainCounts(sym, plain);
    expect(under(sym).claims.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(under(sym).stats.states).toBeLessThan(under(plain).stats.states);
  });
});

describe('predicates about a task moving', () => {
  const claims = (list: string) => MIGRATING_PAIR.replace(/claims:[\s\S]*$/, `claims:\n${list}`);
  it('preempted and migrated tell the runs apart: the mixed pair needs the move', () => {
    const c = under(
      run(
        claims(`  - sometimes: migrated
  - sometimes: { all: [migrated, { executed: [AUIPC, "JALR'"], at: func }] }
  - never: { all: [{ not: migrated }, { executed: [AUIPC, "JALR'"], at: func }] }
  - sometimes: { all: [preempted, { not: migrated }] }
`),
      ),
    );
    expect(c.claims.map((x) => x.verdict)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('a task pinned to its hart is preempted, and the mixed pair is gone with the move', () => {
    const pinned = claims('  - sometimes: preempted\n  - never: { executed: [AUIPC, "JALR\'"], at: func }\n').replace('    preempt: true', '    preempt: { migrate: false }');
    expect(under(run(pinned)).claims.map((x) => x.verdict)).toEqual(['pass', 'pass']);
  });
});

describe('a claim about a move no task can make', () => {
  it('is an error, not a pass', () => {
    const still = MIGRATING_PAIR.replace('    preempt: true\n', '').replace(/claims:[\s\S]*$/, 'claims:\n  - never: migrated\n');
    expect(errors(still)).toEqual([expect.stringMatching(/^\d+:\d+: no task here can be migrated: "migrated" never holds \(a task migrates when/)]);
    const pinned = MIGRATING_PAIR.replace('    preempt: true', '    preempt: { migrate: false }').replace(/claims:[\s\S]*$/, 'claims:\n  - never: migrated\n');
    expect(errors(pinned)).toEqual([expect.stringMatching(/no task here can be migrated/)]);
  });
});
