// RCU Tasks, as synchronize_rcu_tasks() has it (kernel/rcu/tasks.h): a grace period ends
// once every task has passed through a quiescent state, its read-side critical sections
// being "delimited by calls to schedule(), cond_resched_tasks_rcu_qs(), idle execution,
// userspace execution"; they end "at a voluntary context switch (not a preemption!)". A
// task preempted while on a trampoline stays on the run queue as a holdout, which is why
// ftrace_shutdown() calls it before freeing a trampoline.
//
// In patchlit terms a task is quiescent, in a state of the machine, when it is done (its
// driver has made its calls, its code has reached its end), or when it runs between two
// calls of its `calls:` driver with interrupts enabled there: those are the task's
// schedule points (where stop_machine's stopper can take the hart over, interrupts.ts),
// the places a real caller would be in user mode or at a cond_resched(). A `run:` task has
// none: it is the scenario's own kernel code, quiescent only once done. A task is never
// quiescent while preempted (on the run queue), inside a handler or being resumed, nor
// with promises or speculative fetches open on its hart: leaving a critical section is a
// trap into the kernel's scheduler, and traps are precise.
//
// The patching hart's `rcu-tasks` step records the tasks not quiescent then (its state's
// `owed` mask); after every step of the machine, `settleGracePeriods` clears each owed
// task that is quiescent in the new state; the `rcu-tasks-wait` step is enabled once
// none is left. Memory: "each CPU is guaranteed to have executed a full memory barrier
// since the end of its last RCU-tasks read-side critical section" when it returns; the
// grace-period kthread gets there with a synchronize_rcu() after the grace period begins
// and another after the last holdout is gone. So the waiting hart acquires what every
// hart has done when the grace period begins, and what each owed task's hart has done
// when the task is found quiescent. Nothing is passed the other way (the readers get no
// ordering from it): that leaves more behaviours, never fewer.

import { Draft, type Core, type Successor } from './core.ts';
import type { MachineState } from './types.ts';
import { acquire, releaseView, type ThreadMem } from './views.ts';

/** Whether remote hart i's task `t` (the one it runs) is quiescent in `s`. */
function quiescentOn(core: Core, s: MachineState, i: number, t: number): boolean {
  const h = s.harts[i];
  if (h.mem.promises.length || h.speculations.length) return false;
  const spec = core.program.harts[t];
  // Done: idle, or in a handler that returns to the idle point (the task has exited).
  if (h.trap) return h.trap.cause !== 'resume' && h.trap.sepc === spec.idleAt;
  if (h.pc === spec.idleAt) return true;
  if (!spec.driver || !spec.ipiWhileRunning) return false;
  return h.pc >= spec.start && h.pc < spec.idleAt && !core.layout.regionAt(h.pc)?.interruptsMasked;
}

/** Whether task t is quiescent in `s`: on its hart as above; never on the run queue; done when on no hart. */
export function taskQuiescent(core: Core, s: MachineState, t: number): boolean {
  const i = s.harts.findIndex((h) => h.task === t);
  if (i >= 0) return quiescentOn(core, s, i, t);
  return !s.runq.some((q) => q.task === t);
}

/**
 * A grace period begins in `s`: the tasks it must wait for (those not quiescent now), and
 * the patching hart's memory after acquiring what every remote hart has done so far.
 */
export function beginGracePeriod(core: Core, s: MachineState, mem: ThreadMem): { owed: number; mem: ThreadMem } {
  let owed = 0;
  core.program.harts.forEach((h, t) => {
    if (!h.spare && !taskQuiescent(core, s, t)) owed |= 1 << t;
  });
  for (const h of s.harts) mem = acquire(mem, releaseView(h.mem, core.rules));
  return { owed, mem };
}

/** Whether some patching hart's grace period still waits for a task. */
function anyOwed(s: MachineState): boolean {
  for (const p of s.patchers) if (p.owed) return true;
  return false;
}

/**
 * After a step: every task a grace period waits for that is quiescent in the new state is
 * no longer waited for; its hart's view is acquired by the waiting patching hart.
 */
export function settleGracePeriods(core: Core, succ: Successor): Successor {
  const s = succ.state;
  if (!anyOwed(s)) return succ;
  let draft: Draft | undefined;
  s.patchers.forEach((p, k) => {
    let owed = p.owed;
    let mem = p.mem;
    for (let t = 0; owed >> t; t++) {
      if (!(owed & (1 << t)) || !taskQuiescent(core, s, t)) continue;
      owed &= ~(1 << t);
      const i = s.harts.findIndex((h) => h.task === t);
      if (i >= 0) mem = acquire(mem, releaseView(s.harts[i].mem, core.rules));
      (draft ??= new Draft(s)).events.push({ kind: 'quiescent', patcher: k, task: t, hart: i });
    }
    if (owed !== p.owed) draft!.setPatcher(k, { ...p, owed, mem });
  });
  if (!draft) return succ;
  const d = draft as Draft;
  const next = d.freeze(succ.transition);
  return { ...next, events: [...succ.events, ...d.events] };
}
