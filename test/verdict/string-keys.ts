// The search's state keys as they were before they became ints (commit 72a95f8): one
// string per state, built from the machine's and the observer's parts. Kept here only to
// check the int keys against: two states must get equal int keys iff they got equal
// strings (keys.test.ts).

import type { Machine } from '../../src/machine/machine.ts';
import type { Ending, HartState, MachineState, ThreadMem, Timeline } from '../../src/machine/types.ts';
import { lastWrite } from '../../src/machine/timeline.ts';
import { releaseView } from '../../src/machine/views.ts';
import type { Observation } from '../../src/verdict/observer.ts';

/** The machine's private helpers the old keys used. */
interface MachineInternals {
  mayMigrate(s: MachineState): boolean;
  forgetful(h: HartState, i: number, settled: boolean): boolean;
  readonly hartsRequest: boolean;
  timelineId(tl: Timeline): number;
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

/** The strings the old keys interned, numbered in the order met (per machine), and the harts' ids as they were cached. */
const interned = new WeakMap<Machine, { ids: Map<string, number>; harts: WeakMap<HartState, number>; threads: WeakMap<ThreadMem, string> }>();
function tables(machine: Machine) {
  let t = interned.get(machine);
  if (!t) interned.set(machine, (t = { ids: new Map(), harts: new WeakMap(), threads: new WeakMap() }));
  return t;
}

/** views.ts's threadKey, cached on the thread memory as the machine cached it. */
function threadKey(machine: Machine, tm: ThreadMem, tl: Timeline): string {
  const { threads } = tables(machine);
  let k = threads.get(tm);
  if (k === undefined) threads.set(tm, (k = uncachedThreadKey(tm, tl, machine.core.rules.fenceIOrdersFetches)));
  return k;
}

function uncachedThreadKey(tm: ThreadMem, tl: Timeline, fenceIOrdersFetches: boolean): string {
  const v = tm.v;
  let k = `${v.rOld}.${v.wOld}.${v.rNew}.${v.wNew}.${v.oNew}.${v.cap}.${v.rel}.${v.fFloor}`;
  if (fenceIOrdersFetches && (v.fOld > Math.max(v.fFloor, Math.max(v.rOld, v.wOld)) || v.fOldT)) k += `.${v.fOld}`;
  if (v.rNewT | v.wNewT | v.fFloorT | v.fOldT) k += `t${v.rNewT}.${v.wNewT}.${v.fFloorT}.${fenceIOrdersFetches ? v.fOldT : 0}`;
  const exact = tm.promises.length > 0;
  let coh = '';
  for (const [b, t] of [...tm.coh].sort((a, b) => a[0] - b[0])) {
    const c = exact ? t : lastWrite(tl, b, t);
    if (!exact && c <= lastWrite(tl, b, v.rNew)) continue;
    coh += `${b}:${c},`;
  }
  if (coh) k += 'c' + coh;
  if (tm.fwd.size) {
    k += 'f';
    for (const [b, f] of [...tm.fwd].sort((a, b) => a[0] - b[0])) k += `${b}:${f.t}/${f.view}${f.xcl ? 'x' : ''},`;
  }
  if (tm.promises.length) k += 'p' + tm.promises.join(',');
  return k;
}

function patcherKey(machine: Machine, p: MachineState['patchers'][number], i: number, tl: Timeline): string {
  const head = `${p.step}${p.waiting ? 'w' : ''}${p.owed ? 'g' : ''}:`;
  const reads = machine.program.patchers[i].steps.slice(p.step).some((st) => st.kind === 'wait');
  return p.mem.promises.length || reads ? head + threadKey(machine, p.mem, tl) : head + releaseView(p.mem);
}
function intern(machine: Machine, k: string): number {
  const { ids } = tables(machine);
  let id = ids.get(k);
  if (id === undefined) ids.set(k, (id = ids.size));
  return id;
}

/** Machine.hartKeys with the harts' parts interned as strings, never cached. */
export function stringHartKeys(machine: Machine, s: MachineState): number[] {
  const m = machine as unknown as MachineInternals;
  const out: number[] = [];
  const settled = !m.mayMigrate(s);
  for (let i = 0; i < s.harts.length; i++) {
    let waitedFor = 0;
    for (let p = 0; p < s.patchers.length; p++) if (s.patchers[p].waiting & (1 << i)) waitedFor |= 1 << p;
    const k = hartId(machine, s.harts[i], i, s, settled) * 8 + waitedFor;
    out.push(m.gracePeriods ? k * 8 + m.owedTo(s, s.harts[i].task) : k);
  }
  return out;
}

function hartId(machine: Machine, h: HartState, i: number, s: MachineState, settled: boolean): number {
  const m = machine as unknown as MachineInternals;
  const t = h.trap;
  const forgetful = m.forgetful(h, i, settled);
  const cached = tables(machine).harts.get(h);
  if (!forgetful && cached !== undefined) return cached;
  const pending = h.pending.map((p) => `P${p.kind}${p.sender}.${p.step}${p.sync ? 's' : ''}${p.mayMiss ? 'm' : ''}@${p.view}/${p.request ?? '-'}`).join('');
  const specs = h.speculations.map((sp) => `S${sp.at}.${sp.size}=${sp.value}/${sp.bit}`).join('');
  const trap = t ? `T${t.cause}${t.ipi ? `${t.ipi.sender}.${t.ipi.step}` : ''}${t.parked ? 'p' : ''}${t.release ?? ''}${t.fixups ? 'f' : ''}` : '';
  if (forgetful) {
    const rv = releaseView(h.mem);
    let known = s.patchers.reduce((n, p) => Math.min(n, releaseView(p.mem)), Infinity);
    if (m.hartsRequest) s.harts.forEach((o, j) => j !== i && (known = Math.min(known, releaseView(o.mem))));
    return intern(machine, `I${trap}${pending}${specs}v${rv > known ? rv : 0}`);
  }
  let regs = '';
  for (let r = 1; r < 32; r++) if (h.regs[r] !== 0n || h.regViews[r] !== 0) regs += `${r}=${m.valueId(h.regs[r])}@${h.regViews[r]} `;
  let rest = `R${h.task >= 0 ? m.taskRep[h.task] : '-'}/${h.timersLeft}${h.waiting ? `W${h.waiting}` : ''}`;
  if (t) rest += `${trap}@${m.valueId(t.sepc)}`;
  rest += pending + specs + threadKey(machine, h.mem, s.timeline);
  if (h.reserved) rest += `L${h.reserved.at}.${h.reserved.size}.${h.reserved.time}.${h.reserved.view}`;
  const id = intern(machine, `H${m.valueId(h.pc)},${intern(machine, regs)},${intern(machine, rest)}`);
  tables(machine).harts.set(h, id);
  return id;
}

/** Machine.sharedKey as a string. */
export function stringSharedKey(machine: Machine, s: MachineState): string {
  const m = machine as unknown as MachineInternals;
  let k = '|' + m.timelineId(s.timeline) + '|';
  s.patchers.forEach((p, i) => (k += patcherKey(machine, p, i, s.timeline) + ','));
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
    const hk = stringHartKeys(machine, s);
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
