// A lint for freeing code that a task may still be running. Unpublishing a trampoline (the
// store that sends its call sites elsewhere, the IPI that makes every hart see it) keeps
// new callers out, but not a task already inside it: preempted there, it comes back to it
// whenever it is scheduled again. Linux waits for such tasks before it frees a trampoline:
// ftrace_shutdown() calls synchronize_rcu_tasks() before ftrace_trampoline_free(), "When the
// kernel is preemptive, tasks can be preempted while on a ftrace trampoline. Just
// scheduling a task on a CPU is not good enough to flush them" (kernel/trace/ftrace.c).
// A free of code with a store before it and no synchronize_rcu_tasks between them gets a
// warning, whatever its verdict; stop_machine (an empty one before the free, or one the
// free is made in) counts as a wait only when no task is preemptible (it is
// synchronize_rcu_tasks_rude(): it waits for every hart to schedule, which a task
// preempted elsewhere, or parked inside the old code, does not need to do).

import type { Diagnostic, PatcherSpec, Region, RemoteHartSpec } from './types.ts';

export function freeLint(patchers: readonly PatcherSpec[], harts: readonly RemoteHartSpec[], regions: readonly Region[]): Diagnostic[] {
  const preemptible = harts.some((h) => h.preempt);
  const inCode = (addr: bigint) => regions.some((r) => r.kind === 'code' && addr >= r.base && addr < r.base + BigInt(r.bytes.length));
  const out: Diagnostic[] = [];
  for (const p of patchers) {
    let lastStore: number | undefined;
    let synced = false;
    let stopped = false;
    const warned = new Set<string>();
    p.steps.forEach((step, k) => {
      if (step.kind === 'stop' || step.kind === 'restart') stopped = step.kind === 'stop';
      if (step.kind === 'rcu-tasks-wait' || (step.kind === 'restart' && !preemptible)) synced = true;
      // Inside stop_machine, with no preemptible task, every task is parked between its calls.
      if (step.kind !== 'store' || (stopped && !preemptible)) return;
      if (step.freed === undefined) {
        lastStore = k;
        synced = false;
        return;
      }
      const pos = p.positions[k];
      const where = `${pos.line}:${pos.col}`;
      if (lastStore === undefined || synced || !inCode(step.addr) || warned.has(where)) return;
      warned.add(where);
      out.push({
        pos,
        message:
          `${p.name} frees ${step.freed} with no synchronize_rcu_tasks since its store at line ${p.positions[lastStore].line} (${p.steps[lastStore].label}), which may have unpublished it: ` +
          `a task still inside it${preemptible ? ' (preempted there, or interrupted)' : ' (interrupted there)'} can run the poison`,
        hint: `put synchronize_rcu_tasks before the free, as ftrace_shutdown() does before ftrace_trampoline_free()${preemptible ? '; stop_machine is not enough for a preemptible task' : ''}`,
      });
    });
  }
  return out;
}
