// Symmetry: remote harts that run the same driver with the same settings, and that every
// patch step and the table treat alike, are interchangeable. A state and its copy with
// such harts permuted have the same future up to that permutation, and every claim here
// is blind to hart names, so the search keeps one of them: the key sorts the harts of
// each group.

import type { Machine } from '../machine/machine.ts';
import type { MachineState } from '../machine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Observation } from './observer.ts';

/**
 * Groups (of two or more) of interchangeable remote harts, by index. A hart whose final
 * registers a claim reads by name (`cpu1:a0`) is not interchangeable with any other.
 */
export function symmetryGroups(scenario: Scenario, observedHarts: ReadonlySet<number> = new Set()): number[][] {
  const { harts, patchers } = scenario.system;
  const signature = (i: number): string => {
    if (observedHarts.has(i)) return `observed ${i}`;
    const h = harts[i];
    // A task preempted with migration disabled waits in the run queue for the hart it left,
    // named by index (its own: it never leaves it). Sorting the parts of a group permutes
    // harts without renaming that index, so such a hart stays out of every group; harts
    // that are interchangeable among themselves still are.
    if (h.preempt?.migrate === false) return `pinned ${i}`;
    const regs = [...(h.regs ?? [])].map(([r, v]) => `${r}=${v.toString(16)}`).join(' ');
    // Everything the machine reads of a hart's spec: a timer or preemption makes a hart unlike one without.
    const parts = [h.start.toString(16), h.idleAt.toString(16), String(h.ipiWhileRunning), String(h.driver ?? false), regs, JSON.stringify(h.timer ?? null), JSON.stringify(h.preempt ?? null), String(h.spare ?? false)];
    // Which IPIs and SBI calls reach it, and whether the table reads its signature.
    for (const p of patchers) p.steps.forEach((s, k) => (s.kind === 'ipi' || s.kind === 'sbi') && parts.push(`${k}:${s.targets.includes(i)}`));
    // And which requests made from code (service stubs) name it among their targets.
    for (const st of scenario.system.stubs) if (st.service?.kind === 'ipi' || st.service?.kind === 'sbi') parts.push(`${st.name}:${st.service.targets.includes(i)}`);
    parts.push(`table:${scenario.table ? scenario.table.harts.includes(i) : false}`);
    return parts.join('|');
  };
  const bySig = new Map<string, number[]>();
  harts.forEach((_, i) => {
    const k = signature(i);
    bySig.set(k, [...(bySig.get(k) ?? []), i]);
  });
  return [...bySig.values()].filter((g) => g.length > 1);
}

/**
 * The key of a state with its observation, the same for states equal up to permuting the
 * harts (and their tasks) of a group. Each hart's part is its machine state with the
 * observation of the task it runs: once tasks migrate, hart i may run task j, and what
 * task j has shown must go with hart i, or two states whose harts run swapped tasks would
 * merge while their futures add to different tasks' observations. Tasks on no hart (waiting
 * to be resumed, or done and displaced) carry theirs beside the run queue. Without groups
 * nothing is sorted: the key is then exact. When every task stays on its own hart, the
 * parts are the hart's key and its own task's observation, as they always were.
 */
export function stateKey(machine: Machine, groups: readonly number[][], actorKeys: (o: Observation) => number[], sharedKey: (o: Observation) => string = () => '') {
  const byNumber = (a: number, b: number) => a - b;
  return (s: MachineState, o: Observation): string => {
    const hk = machine.hartKeys(s);
    const ok = actorKeys(o);
    const obsOf = (task: number) => (task >= 0 ? ok[task] : NO_TASK);
    // While a part of the state names harts by index (who waits for whose acknowledgement,
    // who holds a lock), sorting would lose which hart that is: the key stays exact then.
    const exact = groups.length > 0 && machine.crossReferences(s);
    const sortable = exact ? [] : groups;
    let parts: Array<number | string>;
    if (ok.some((k) => k >= NO_TASK)) {
      parts = hk.map((h, i) => `${h}:${obsOf(s.harts[i].task)}`);
      for (const g of sortable) {
        const sorted = g.map((i) => parts[i] as string).sort();
        g.forEach((i, k) => (parts[i] = sorted[k]));
      }
      parts.push('/');
    } else {
      // One number per hart (machine part and observation part, both small interned ids:
      // the sum stays exact), sorted within each group.
      parts = hk.map((h, i) => h * 0x100000 + obsOf(s.harts[i].task));
      for (const g of sortable) {
        const sorted = g.map((i) => parts[i] as number).sort(byNumber);
        for (let k = 0; k < g.length; k++) parts[g[k]] = sorted[k];
      }
    }
    return (exact ? 'X' : '') + parts.join(',') + offHartTasks(machine, s, ok) + machine.sharedKey(s) + sharedKey(o);
  };
}

/** The observation part of a hart that runs no task (above every interned observation id that packs). */
const NO_TASK = 0xfffff;

/**
 * What tasks on no hart have shown: those in the run queue in its order (the queue's own
 * key names them by class only), then those done and displaced, as a sorted list of
 * class and observation (tasks of a class are interchangeable).
 */
function offHartTasks(machine: Machine, s: MachineState, ok: readonly number[]): string {
  if (!machine.tasksMigrate) return '';
  let k = 'T';
  const placed = new Set<number>();
  for (const h of s.harts) if (h.task >= 0) placed.add(h.task);
  for (const t of s.runq) {
    placed.add(t.task);
    k += ok[t.task] + ',';
  }
  const displaced: string[] = [];
  for (let t = 0; t < ok.length; t++) if (!placed.has(t) && !machine.program.harts[t].spare) displaced.push(`${machine.taskClass(t)}:${ok[t]}`);
  return k + '/' + displaced.sort().join(',');
}
