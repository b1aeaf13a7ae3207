// A patching hart's steps. Its program is the scenario's patch steps; it fetches no patched
// code, so its FENCE.I matters only through the instructions it fetches afterwards: each
// is fetched after the FENCE.I's earlier accesses (ir3) and performs its own accesses
// after its fetch (ir1), so FENCE.I orders the hart's accesses like FENCE RW,RWO under the
// suite's axioms, and like FENCE RW,RW under the Zifencei chapter's prose, where a request
// to other harts is not ordered by it (the model's `fence-i` reading, machine/model.ts).
// Its loads are the acknowledgements it waits for (acquires, the kernel's csd_lock_wait),
// the memory it `wait`s on, and the locks it takes.

import { appendStore, Draft, editHart, type Core, type Successor } from './core.ts';
import { loadChoices } from './loads.ts';
import { FENCE_I_READINGS } from './model.ts';
import { beginGracePeriod } from './rcu-tasks.ts';
import { lockFree, lockStep, raiseRequest, requestViews } from './services.ts';
import type { MachineState, PatchStep, PatcherState, WriteChoice } from './types.ts';
import { afterFence, afterRead, afterWrite, cohOf, releaseView } from './views.ts';

const FENCE_RW = 2 | 1;
const FENCE_RWO = 4 | 2 | 1;

/** Per patching hart and step index: whether a hart whose next step is that one is inside its stop_machine. */
const insideStop = new WeakMap<Core['program'], boolean[][]>();

function stopSections(program: Core['program']): boolean[][] {
  let out = insideStop.get(program);
  if (!out) {
    out = program.patchers.map((p) => {
      let inside = false;
      return [...p.steps, undefined].map((st) => {
        const now = inside;
        if (st?.kind === 'stop') inside = true;
        if (st?.kind === 'restart') inside = false;
        return now;
      });
    });
    insideStop.set(program, out);
  }
  return out;
}

/** Every step patching hart `p` can take in `s` (one per place its store can take, or per way its wait is satisfied). */
export function patcherSuccessors(core: Core, s: MachineState, p: number, out: Successor[]): void {
  const ps = s.patchers[p];
  const spec = core.program.patchers[p];
  if (ps.waiting !== 0 || ps.step >= spec.steps.length) return;
  // While another patching hart is inside its stop_machine, this one is parked like every
  // other hart (at a step boundary: its steps are where its thread can be scheduled out).
  const sections = stopSections(core.program);
  if (s.patchers.some((q, j) => j !== p && sections[j][q.step])) return;
  const step = spec.steps[ps.step];
  const actor = core.program.harts.length + p;
  const draft = () => {
    const d = new Draft(s);
    d.events.push({ kind: 'patch-step', patcher: p, step: ps.step, label: step.label });
    return d;
  };
  const next = (d: Draft, changes: Partial<PatcherState>) => d.setPatcher(p, { ...d.patchers[p], step: ps.step + 1, ...changes });
  const one = (changes: Partial<PatcherState>, edit?: (d: Draft) => void) => {
    const d = draft();
    edit?.(d);
    next(d, changes);
    out.push(d.freeze({ kind: 'patch', patcher: p }));
  };
  switch (step.kind) {
    case 'store':
      return storeSteps(core, s, p, step, actor, draft, next, out);
    case 'fence':
      return one({ mem: afterFence(ps.mem, step.pred, step.succ, step.tso === true) });
    case 'fence.i':
      return one({ mem: afterFence(ps.mem, FENCE_RW, FENCE_I_READINGS[core.model.fenceI].ordersOutput ? FENCE_RWO : FENCE_RW, false) });
    case 'ipi':
    case 'sbi':
    case 'stop': {
      // The same request a hart's code makes through a service stub (services.ts); the
      // patching hart's FENCE.I steps have put what they order into its views already.
      const d = draft();
      const waiting = raiseRequest(core, d, actor, ps.step, step, requestViews(core, ps.mem, step, 0));
      next(d, { waiting });
      out.push(d.freeze({ kind: 'patch', patcher: p }));
      return;
    }
    case 'restart':
      // Every parked hart may go: it acquires what this hart did, runs FENCE.I, resumes.
      return one({}, (d) => {
        const view = releaseView(ps.mem);
        d.harts.forEach((h, i) => {
          if (h.trap?.parked && h.trap.ipi?.sender === actor) d.setHart(i, editHart(h, { trap: { ...h.trap, release: view } }));
        });
      });
    case 'wait': {
      // Spinning on memory changes nothing until a load can return the value: that load is the step.
      const at = core.layout.offset(step.addr, step.size)!;
      for (const c of loadChoices(core, s, ps.mem, at, step.size, ps.mem.v.rNew)) {
        if (c.kind !== 'snapshot' || c.value !== step.value) continue;
        const post = c.sources.reduce((m, t) => Math.max(m, t), ps.mem.v.rNew);
        const d = draft();
        d.events.push({ kind: 'load', patcher: p, addr: step.addr, size: step.size, value: c.value, stale: false });
        next(d, { mem: afterRead(ps.mem, at, step.size, core.model.stores === 'sc' ? s.timeline.length : post, 0, true) });
        out.push(d.freeze({ kind: 'patch', patcher: p }));
      }
      return;
    }
    case 'lock':
    case 'unlock': {
      if (step.kind === 'lock' && !lockFree(s, step.lock)) return; // held by another: wait
      const d = draft();
      next(d, { mem: lockStep(core, d, actor, step, ps.mem) });
      out.push(d.freeze({ kind: 'patch', patcher: p }));
      return;
    }
    case 'rcu-tasks': {
      // synchronize_rcu_tasks() is fully ordered and waits on other threads' progress (the
      // grace-period kthread's completion): nothing after it can be promised before it, so
      // it begins only with no promise open (rcu-tasks.ts has the rest).
      if (ps.mem.promises.length) return;
      const gp = beginGracePeriod(core, s, afterFence(ps.mem, FENCE_RW, FENCE_RWO, false));
      return one(gp, (d) => d.events.push({ kind: 'grace-period', patcher: p, tasks: bits(gp.owed) }));
    }
    case 'rcu-tasks-wait':
      if (ps.owed) return; // some task has not been quiescent since the grace period began
      return one({ mem: afterFence(ps.mem, FENCE_RW, FENCE_RWO, false) });
    case 'register':
    case 'unregister': {
      // The handler table is one variable that every trap reads as it is now.
      const bit = 1 << step.handler;
      return one({}, (d) => (d.handlers = step.kind === 'register' ? d.handlers | bit : d.handlers & ~bit));
    }
  }
}

/** The indices of a mask's bits, lowest first. */
function bits(mask: number): number[] {
  const out: number[] = [];
  for (let t = 0; mask >> t; t++) if (mask & (1 << t)) out.push(t);
  return out;
}

function storeSteps(
  core: Core,
  s: MachineState,
  p: number,
  step: Extract<PatchStep, { kind: 'store' }>,
  actor: number,
  draft: () => Draft,
  next: (d: Draft, changes: Partial<PatcherState>) => void,
  out: Successor[],
): void {
  const ps = s.patchers[p];
  const at = core.layout.offset(step.addr, step.size);
  if (at === undefined) throw new Error(`patch step stores to unmapped address 0x${step.addr.toString(16)}`);
  const vpre = Math.max(ps.mem.v.wNew, ps.mem.v.cap);
  const choices: WriteChoice[] = [{ kind: 'fresh' }];
  if (core.model.stores === 'rvwmo') {
    const floor = Math.max(vpre, cohOf(ps.mem, at, step.size));
    for (const t of ps.mem.promises) {
      const m = s.timeline[t - 1];
      if (m.at === at && m.size === step.size && m.value === step.value && floor < t) choices.push({ kind: 'fulfil', time: t });
    }
  }
  for (const c of choices) {
    const d = draft();
    let t: number;
    if (c.kind === 'fresh') {
      t = appendStore(core, d, actor, at, step.size, step.value, `p${p}.${ps.step}`);
      d.events.push({ kind: 'store', patcher: p, addr: step.addr, size: step.size, value: step.value, time: t });
    } else {
      t = c.time;
      d.events.push({ kind: 'fulfil', patcher: p, time: t });
    }
    next(d, { mem: afterWrite(ps.mem, at, step.size, t, 0, 0, false, false) });
    out.push(d.freeze({ kind: 'patch', patcher: p, store: c }));
  }
}
