// The search's state keys as they were before they became ints (commit 72a95f8): one
// string per state, built from the machine's and the observer's parts. Kept here only to
// check the int keys against: two states must get equal int keys iff they got equal
// strings (keys.test.ts).

import type { Machine } from '../../src/machine/machine.ts';
import type { Ending, MachineState, Timeline } from '../../src/machine/types.ts';
import type { Observation } from '../../src/verdict/observer.ts';

/** The machine's private helpers the old shared key used. */
interface MachineInternals {
  timelineId(tl: Timeline): number;
  patcherKey(p: MachineState['patchers'][number], i: number, tl: Timeline): string;
  valueId(v: bigint): number;
  intern(k: string): number;
  owedTo(s: MachineState, t: number): number;
  readonly taskRep: readonly number[];
  readonly gracePeriods: boolean;
  readonly toggledHandlers: boolean;
}

function endingKey(e: Ending): string {
  return JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v));
}

/** Machine.sharedKey as a string. */
export function stringSharedKey(machine: Machine, s: MachineState): string {
  const m = machine as unknown as MachineInternals;
  let k = '|' + m.timelineId(s.timeline) + '|';
  s.patchers.forEach((p, i) => (k += m.patcherKey(p, i, s.timeline) + ','));
  for (const t of s.runq) {
    let regs = '';
    for (let r = 1; r < 32; r++) if (t.regs[r] !== 0n || t.regViews[r] !== 0) regs += `${r}=${m.valueId(t.regs[r])}@${t.regViews[r]} `;
    k += `Q${m.taskRep[t.task]}@${m.valueId(t.sepc)}/${m.intern(regs)}/${t.view}${t.fixups ? 'f' : ''}${t.pinned !== undefined ? `p${t.pinned}` : ''}`;
    if (m.gracePeriods) k += `o${m.owedTo(s, t.task)}`;
  }
  for (const t of s.retired) k += `D${t.task}/${m.intern(t.regs.map((v) => m.valueId(v)).join(' '))}`;
  for (const l of s.locks) k += `K${l.holder ?? '-'}@${l.view}`;
  if (m.toggledHandlers) k += `H${s.handlers}`;
  if (s.halted) k += '|' + endingKey(s.halted);
  return k;
}

const NO_TASK = 0xfffff;

/** verdict/symmetry.ts's stateKey as a string. */
export function stringStateKey(machine: Machine, groups: readonly number[][], actorKeys: (o: Observation) => number[], sharedKey: (o: Observation) => string) {
  const byNumber = (a: number, b: number) => a - b;
  return (s: MachineState, o: Observation): string => {
    const hk = machine.hartKeys(s);
    const ok = actorKeys(o);
    const obsOf = (task: number) => (task >= 0 ? ok[task] : NO_TASK);
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
      parts = hk.map((h, i) => h * 0x100000 + obsOf(s.harts[i].task));
      for (const g of sortable) {
        const sorted = g.map((i) => parts[i] as number).sort(byNumber);
        for (let k = 0; k < g.length; k++) parts[g[k]] = sorted[k];
      }
    }
    return (exact ? 'X' : '') + parts.join(',') + offHartTasks(machine, s, ok) + stringSharedKey(machine, s) + sharedKey(o);
  };
}

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
