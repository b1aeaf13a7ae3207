// Symmetry: remote harts that run the same driver with the same settings, and that every
// patch step and the table treat alike, are interchangeable. A state and its copy with
// such harts permuted have the same future up to that permutation, and every claim here
// is blind to hart names, so the search keeps one of them: the key sorts the harts of
// each group.

import type { Machine } from '../machine/machine.ts';
import type { MachineState } from '../machine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Observation } from './observer.ts';
import type { IntKey } from '../machine/int-tuples.ts';

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
 *
 * The key is ints, written into the explorer's buffer: [flags (1: exact, as a part of the
 * state names harts by index; 2: some observation id is at least NO_TASK), then per hart
 * its machine part (Machine.hartKeys) and its task's observation id (NO_TASK for none),
 * these pairs sorted within each group and written by pushPair; then, where tasks
 * migrate, the observations of the tasks on no hart (offHartTasks); then the machine's
 * shared part (Machine.sharedKey), then the observation's (its step bits)].
 */
export function stateKey(machine: Machine, groups: readonly number[][], actorKeys: (o: Observation, out: number[]) => number[], sharedKey: (o: Observation) => number = () => 0) {
  // Scratch, refilled by each call: the harts' machine parts and their tasks' observations.
  const hk: number[] = [];
  const scratch: number[] = [];
  const obs: number[] = [];
  return (s: MachineState, o: Observation, out: IntKey): void => {
    machine.hartKeys(s, hk);
    // What it returns: a caller's function may ignore the scratch array and make its own.
    const ok = actorKeys(o, scratch);
    // While a part of the state names harts by index (who waits for whose acknowledgement,
    // who holds a lock), sorting would lose which hart that is: the key stays exact then.
    const exact = groups.length > 0 && machine.crossReferences(s);
    let wide = false;
    for (let t = 0; t < ok.length; t++) if (ok[t] >= NO_TASK) wide = true;
    out.push((exact ? 1 : 0) | (wide ? 2 : 0));
    const H = hk.length;
    obs.length = H;
    for (let i = 0; i < H; i++) {
      const task = s.harts[i].task;
      obs[i] = task >= 0 ? ok[task] : NO_TASK;
    }
    if (!exact) for (const g of groups) sortPairs(g, hk, obs);
    for (let i = 0; i < H; i++) pushPair(out, hk[i], obs[i]);
    if (machine.tasksMigrate) offHartTasks(machine, s, ok, out);
    machine.sharedKey(s, out);
    out.push(sharedKey(o));
  };
}

/** The observation part of a hart that runs no task (above every interned observation id that packs). */
const NO_TASK = 0xfffff;

/**
 * A hart's machine part h (up to 2^53) and observation o (below 2^31): one int when both
 * are small, h * 2^8 + (o + 1, or 0 for NO_TASK), as most are; else three, the first
 * negative (-1 - h / 2^31, h mod 2^31, o).
 */
export function pushPair(out: IntKey, h: number, o: number): void {
  const ob = o === NO_TASK ? 0 : o + 1;
  if (h < 1 << 23 && ob < 1 << 8) out.push((h << 8) | ob);
  else {
    out.push(-1 - Math.floor(h / 0x80000000));
    out.push(h % 0x80000000);
    out.push(o);
  }
}

/** Sorts the pairs (a[i], b[i]) at the positions of group g among themselves (insertion sort: groups are small). */
function sortPairs(g: readonly number[], a: number[], b: number[]): void {
  for (let k = 1; k < g.length; k++) {
    const x = a[g[k]];
    const y = b[g[k]];
    let j = k - 1;
    for (; j >= 0 && (a[g[j]] > x || (a[g[j]] === x && b[g[j]] > y)); j--) {
      a[g[j + 1]] = a[g[j]];
      b[g[j + 1]] = b[g[j]];
    }
    a[g[j + 1]] = x;
    b[g[j + 1]] = y;
  }
}

/**
 * What tasks on no hart have shown: those in the run queue in its order (the queue's own
 * key names them by class only), then those done and displaced, as a sorted list of
 * class and observation (tasks of a class are interchangeable). Each list after its length.
 */
function offHartTasks(machine: Machine, s: MachineState, ok: readonly number[], out: IntKey): void {
  const placed = new Uint8Array(ok.length);
  for (const h of s.harts) if (h.task >= 0) placed[h.task] = 1;
  out.push(s.runq.length);
  for (const t of s.runq) {
    placed[t.task] = 1;
    out.push(ok[t.task]);
  }
  const displaced: Array<[number, number]> = [];
  for (let t = 0; t < ok.length; t++) if (!placed[t] && !machine.program.harts[t].spare) displaced.push([machine.taskClass(t), ok[t]]);
  displaced.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  out.push(displaced.length);
  for (const [c, k] of displaced) {
    out.push(c);
    out.push(k);
  }
}
