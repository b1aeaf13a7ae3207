// synchronize_rcu_tasks and free: a grace period waits for every task that is not
// quiescent when it begins (preempted, interrupted or running inside a function), a task is
// quiescent between two calls of its driver and once done, and freed memory is poisoned by
// ordinary stores. Each test runs a scenario with the wait and without it and expects a
// different answer, or checks the grace period's guarantee over every reachable state.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine/index.ts';
import type { MachineEvent, MachineModel, MachineState } from '../../src/machine/types.ts';
import { Names, stepText } from '../../src/report/index.ts';
import { outcomes, run, scenario, under } from '../helpers.ts';

const MODEL: MachineModel = { fetch: 'ziccif-only', stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' };

/**
 * A task marks that it is inside f, then loads a flag; the patching hart waits for the mark,
 * then (WAIT) stores the flag. The task is inside f, or past it, when WAIT begins.
 */
function inside(wait: string, hart = '  - name: cpu1\n    calls: [f, g]\n    timer: { count: 1 }\n    preempt: true\nspare-harts: 1'): string {
  return `
name: inside
model: { fetch: ziccif-only }
data:
  mark: { at: 0x80002000, asm: ".word 0" }
  flag: { at: 0x80002004, asm: ".word 0" }
code:
  f:
    at: 0x80001000
    asm: |
      la t2, mark
      li t3, 1
      sw t3, 0(t2)
      lw a0, 4(t2)
      ret
  g:
    at: 0x80001100
    asm: |
      la t2, flag
      lw a1, 0(t2)
      ret
patch:
  - wait: { at: mark, value: 1, size: 4 }
  - ${wait}
  - store: { at: flag, value: 1, size: 4 }
harts:
${hart}
claims:
  - sometimes: { final: "cpu1:a0=1" }
  - sometimes: { final: "cpu1:a1=1" }
`;
}

const verdicts = (yaml: string) => under(run(yaml)).claims.map((c) => c.verdict);

describe('synchronize_rcu_tasks', () => {
  it('waits for a task inside a function, even preempted on the run queue: the flag stored after it is never read there', () => {
    expect(verdicts(inside('fence rw,rw'))).toEqual(['pass', 'pass']);
    expect(verdicts(inside('synchronize_rcu_tasks'))).toEqual(['fail', 'pass']);
  });

  it('waits for an interrupted task that is not preemptible', () => {
    expect(verdicts(inside('synchronize_rcu_tasks', '  - name: cpu1\n    calls: [f, g]\n    timer: { count: 1 }'))).toEqual(['fail', 'pass']);
  });

  it('a `run:` task is quiescent only once done: nothing of it sees the flag', () => {
    const yaml = inside('synchronize_rcu_tasks', '  - name: cpu1\n    run: f\n    until: f_end')
      .replace('      lw a0, 4(t2)\n      ret', '      lw a0, 4(t2)\n      lw a1, 4(t2)\n      f_end:\n      nop');
    expect(verdicts(yaml)).toEqual(['fail', 'fail']);
    expect(verdicts(yaml.replace('  - synchronize_rcu_tasks', '  - fence rw,rw'))).toEqual(['pass', 'pass']);
  });

  it('no state has a grace period wait for a task between two calls of its driver, or done; one inside a function, or preempted, it waits for', () => {
    const m = new Machine(scenario(inside('synchronize_rcu_tasks')).system, MODEL);
    const driver = m.program.harts[0];
    let waitedInside = 0;
    let waitedQueued = 0;
    for (const s of reachable(m)) {
      if (!s.patchers[0].owed) continue;
      const h = s.harts.find((x) => x.task === 0);
      if (h && !h.trap && !h.mem.promises.length && !h.speculations.length) expect(h.pc >= driver.start && h.pc <= driver.idleAt).toBe(false);
      if (h && !h.trap && m.layout.regionAt(h.pc)?.name === 'f') waitedInside++;
      if (s.runq.some((q) => q.task === 0)) waitedQueued++;
    }
    expect(waitedInside).toBeGreaterThan(0);
    expect(waitedQueued).toBeGreaterThan(0);
  });

  it('guarantees that a task inside old code when the grace period begins runs none of it once the wait returns', () => {
    // Every run, with what it knows: whether the task was in f (at a boundary, interrupted or queued) when the grace period began.
    const m = new Machine(scenario(inside('synchronize_rcu_tasks')).system, MODEL);
    const f = m.program.regions.find((r) => r.name === 'f')!;
    const inF = (pc: bigint) => pc >= f.base && pc < f.base + BigInt(f.bytes.length);
    const taskInF = (s: MachineState) => {
      const h = s.harts.find((x) => x.task === 0);
      if (h) return inF(h.trap ? h.trap.sepc : h.pc);
      return s.runq.some((q) => q.task === 0 && inF(q.sepc));
    };
    const gpAt = m.program.patchers[0].steps.findIndex((st) => st.kind === 'rcu-tasks');
    const seen = new Set<string>();
    const stack: Array<{ s: MachineState; held: boolean }> = [{ s: m.initial(), held: false }];
    let checked = 0;
    while (stack.length) {
      const { s, held } = stack.pop()!;
      for (const n of m.successors(s)) {
        const began = s.patchers[0].step === gpAt && n.state.patchers[0].step === gpAt + 1;
        const nowHeld = held || (began && taskInF(s));
        const done = n.state.patchers[0].step > gpAt + 1;
        if (nowHeld && done) {
          checked++;
          for (const e of n.events) if (e.kind === 'exec' && e.task === 0) expect(inF(e.pc)).toBe(false);
        }
        const k = `${m.key(n.state)}#${nowHeld}`;
        if (seen.has(k)) continue;
        seen.add(k);
        stack.push({ s: n.state, held: nowHeld });
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('names the tasks it waits for, and each as it becomes quiescent', () => {
    const m = new Machine(scenario(inside('synchronize_rcu_tasks')).system, MODEL);
    const events = [...reachable(m, (e) => e)].flat();
    expect(events).toContainEqual({ kind: 'grace-period', patcher: 0, tasks: [0] });
    expect(events).toContainEqual({ kind: 'grace-period', patcher: 0, tasks: [] });
    expect(events.some((e) => e.kind === 'quiescent' && e.task === 0 && e.hart === 1)).toBe(true); // on the spare hart that resumed it
  });

  it('tells in reports what the grace period waits for and when a task stops holding it up', () => {
    const s = scenario(inside('synchronize_rcu_tasks'));
    const names = new Names(s);
    const step = (events: MachineEvent[]) => stepText({ transition: { kind: 'patch', patcher: 0 }, events }, names);
    expect(step([{ kind: 'patch-step', patcher: 0, step: 1, label: 'synchronize_rcu_tasks: a grace period begins' }, { kind: 'grace-period', patcher: 0, tasks: [0] }])).toBe(
      'synchronize_rcu_tasks: a grace period begins; it waits for task cpu1 to pass a quiescent state',
    );
    expect(step([{ kind: 'grace-period', patcher: 0, tasks: [] }])).toBe('synchronize_rcu_tasks: a grace period begins; every task is quiescent, so it waits for none');
    expect(step([{ kind: 'quiescent', patcher: 0, task: 0, hart: 1 }])).toBe("task cpu1 is quiescent (on spare1): cpu0's grace period no longer waits for it");
    expect(step([{ kind: 'patch-step', patcher: 0, step: 2, label: 'synchronize_rcu_tasks returns: the grace period has ended' }])).toBe('synchronize_rcu_tasks returns: the grace period has ended');
  });

  it('keys tell a state whose grace period waits for a task from the same state without it', () => {
    const m = new Machine(scenario(inside('synchronize_rcu_tasks')).system, MODEL);
    const s = m.initial();
    const owed: MachineState = { ...s, patchers: [{ ...s.patchers[0], owed: 1 }] };
    expect(m.key(owed)).not.toBe(m.key(s));
  });
});

describe('free', () => {
  /** A trampoline called through `jal t0`; the call site is switched, then (WAIT) the trampoline is freed. */
  const tramp = (wait: string, free = 'old_tramp') => `
name: free
model: { fetch: [ziccif-only, ziccid] }
symbols:
  old_func: 0x80008000
  new_tramp: 0x80009000
stubs:
  old_func: { return: t1 }
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
      jal t1, old_func
      jr t0
insns:
  CALL': jal t0, new_tramp
patch:
  - store: { at: func, insn: "CALL'" }
  - ipi: { sync: true }
${wait}
  - free: ${free}
harts:
  - name: cpu1
    calls: func
    timer: { count: 1 }
    preempt: true
spare-harts: 1
claims:
  - never: illegal-instruction
  - sometimes: { calls: new_tramp }
`;

  it('poisons the memory: a task preempted inside the freed trampoline meets an illegal instruction, unless the free waits for it', () => {
    const without = run(tramp(''));
    expect(without.configs.map((c) => c.claims[0].verdict)).toEqual(['fail', 'fail']);
    expect(outcomes(without, 'ziccid')).toContain('illegal-instruction: old_func');
    const ending = under(without).claims[0].counterexample!.ending!;
    expect(ending).toMatchObject({ kind: 'illegal-instruction', bits: 0 });
    expect(run(tramp('  - synchronize_rcu_tasks')).configs.map((c) => c.claims.map((x) => x.verdict))).toEqual([
      ['pass', 'pass'],
      ['pass', 'pass'],
    ]);
  });

  it('stores ordinary aligned stores, 8 bytes where the address allows', () => {
    const steps = scenario(tramp('', '{ at: old_tramp+4, size: 8 }')).system.patchers[0].steps.filter((st) => st.kind === 'store' && st.freed);
    expect(steps.map((st) => st.kind === 'store' && [st.addr, st.size, st.value, st.label])).toEqual([
      [0x80004004n, 4, 0n, 'frees old_tramp+4 (8 bytes) (poisoned): bytes 0-3 of 8'],
      [0x80004008n, 4, 0n, 'frees old_tramp+4 (8 bytes) (poisoned): bytes 4-7 of 8'],
    ]);
    const whole = scenario(tramp('')).system.patchers[0].steps.filter((st) => st.kind === 'store' && st.freed);
    expect(whole.map((st) => st.kind === 'store' && [st.addr, st.size])).toEqual([
      [0x80004000n, 8],
      [0x80004008n, 4],
    ]);
  });

  it('warns where code is freed with no synchronize_rcu_tasks since the store that unpublished it; never about the poison as a patch', () => {
    const warn = (yaml: string) => (scenario(yaml).warnings ?? []).map((w) => `${w.pos.line}:${w.pos.col}: ${w.message}`);
    expect(warn(tramp(''))).toEqual([
      "28:5: cpu0 frees old_tramp with no synchronize_rcu_tasks since its store at line 25 (store CALL' at func), which may have unpublished it: a task still inside it (preempted there, or interrupted) can run the poison",
    ]);
    expect(warn(tramp('  - synchronize_rcu_tasks'))).toEqual([]);
    // stop_machine is a wait only when no task is preemptible.
    expect(warn(tramp('  - stop_machine: []'))).toHaveLength(1);
    expect(warn(tramp('  - stop_machine: []').replace('    preempt: true\n', ''))).toEqual([]);
    // Unpublished and freed inside one stop_machine: every task is parked between its calls, unless one is preemptible.
    const inside = tramp('').replace("  - store: { at: func, insn: \"CALL'\" }\n  - ipi: { sync: true }\n\n  - free: old_tramp", "  - stop_machine:\n    - store: { at: func, insn: \"CALL'\" }\n    - free: old_tramp");
    expect(inside).toContain('    - free: old_tramp');
    expect(warn(inside.replace('    preempt: true\n', ''))).toEqual([]);
    expect(warn(inside)).toHaveLength(1);
    // Part of a compressed trampoline: 2-byte stores into the middle of the JAL would break the safe harbour's rule 3 as a patch.
    const rvc = tramp('  - synchronize_rcu_tasks', '{ at: old_tramp+2, size: 4 }').replace('    at: 0x80004000\n', '    at: 0x80004000\n    rvc: true\n');
    expect(scenario(rvc).system.patchers[0].steps.filter((st) => st.kind === 'store' && st.freed).map((st) => st.kind === 'store' && st.size)).toEqual([2, 2]);
    expect(warn(rvc)).toEqual([]);
    expect(warn(rvc.replace('  - free: { at: old_tramp+2, size: 4 }', '  - store: { at: old_tramp+2, value: 0, size: 2 }'))).toEqual([
      expect.stringContaining('outside the Ziccif safe harbour (rule 3)'),
      expect.stringContaining('outside the Ziccif safe harbour (rule 2)'),
    ]);
  });
});

/** Every state reachable from the initial one, or what `pick` makes of each step's events. */
function reachable<T = MachineState>(m: Machine, pick?: (e: ReturnType<Machine['successors']>[number]['events']) => T): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  const queue: MachineState[] = [m.initial()];
  while (queue.length) {
    for (const n of m.successors(queue.pop()!)) {
      if (pick) out.push(pick(n.events));
      const k = m.key(n.state);
      if (seen.has(k)) continue;
      seen.add(k);
      if (!pick) out.push(n.state as T);
      queue.push(n.state);
    }
  }
  return out;
}
