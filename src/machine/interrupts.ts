// Interrupts and what follows them: taking an IPI, the SBI call's machine-mode interrupt or
// stop_machine's; timer interrupts; parking and leaving stop_machine; the return from the
// handler (with the scenario's trap-return fixups, fixups.ts); preemption at a timer
// interrupt and resuming the task on another hart (only its own, with migration disabled).
// Interrupts are precise: a hart takes one only when it has kept its promises and seen its
// speculative fetches confirmed.

import { Draft, editHart, type Core, type Successor } from './core.ts';
import { fixupsFor, matching, skippedFixup } from './fixups.ts';
import { loadChoices } from './loads.ts';
import { acknowledge } from './services.ts';
import { latestValue } from './timeline.ts';
import type { Ending, HartState, IpiRequest, MachineState, ReadChoice, RemoteHartSpec, Service, Stub, TrapReturnFixup } from './types.ts';
import { acquire, afterFenceI, afterRead, delivered, fetchesAfter, releaseView, watchOrdering } from './views.ts';

const ZERO_REGS: readonly bigint[] = Object.freeze(new Array<bigint>(32).fill(0n));
const ZERO_VIEWS: readonly number[] = Object.freeze(new Array<number>(32).fill(0));

/** The spec of the task a hart runs (undefined: it runs none). */
export function taskOf(core: Core, h: HartState): RemoteHartSpec | undefined {
  return h.task >= 0 ? core.program.harts[h.task] : undefined;
}

/** Where hart i is idle: its task's end, or its own idle point when it runs no task. */
export function idlePc(core: Core, h: HartState, i: number): bigint {
  return (taskOf(core, h) ?? core.program.harts[i]).idleAt;
}

export function isIdle(core: Core, s: MachineState, i: number): boolean {
  const h = s.harts[i];
  return h.trap === undefined && h.waiting === 0 && (h.task < 0 || h.pc === core.program.harts[h.task].idleAt);
}

/**
 * The service a hart at `pc` is about to perform: it called a service stub (a request to
 * other harts, a lock) and has not yet done it. Its pc stays at the stub until it has.
 */
export function serviceAt(core: Core, pc: bigint): Service | undefined {
  return serviceStubAt(core, pc)?.service;
}

/** The service stub at `pc`, if any (its service and the register it returns through). */
export function serviceStubAt(core: Core, pc: bigint): Stub | undefined {
  const stub = core.program.stubs.find((st) => st.addr === pc);
  return stub?.service ? stub : undefined;
}

/** Where a hart may be between two steps: in code, at its idle point, or at a service it called. */
export function runnableAt(core: Core, pc: bigint, idleAt: bigint): boolean {
  return pc === idleAt || core.layout.isCode(pc) || serviceAt(core, pc) !== undefined;
}

/** Supervisor interrupts (IPIs, timers, stop_machine) can be taken now: idle, or running where they are not masked. */
function supervisorEnabled(core: Core, s: MachineState, i: number): boolean {
  if (isIdle(core, s, i)) return true;
  const h = s.harts[i];
  return (taskOf(core, h)?.ipiWhileRunning ?? true) && !core.layout.regionAt(h.pc)?.interruptsMasked;
}

/**
 * Where stop_machine's stopper thread can take the hart over: the interrupt only wakes the
 * thread, which runs when the current task can be scheduled out. A preemptible task can be
 * anywhere interrupts are enabled; any other only between the calls of its driver (the
 * kernel's schedule points), or once it is idle.
 */
function schedulable(core: Core, s: MachineState, i: number): boolean {
  if (isIdle(core, s, i)) return true;
  const h = s.harts[i];
  // Waiting for acknowledgements, with preemption disabled: nothing is scheduled there.
  if (h.waiting !== 0) return false;
  const task = taskOf(core, h);
  if (!task || task.preempt) return true;
  // A task waiting for a lock sleeps (mutex_lock): the stopper thread runs meanwhile.
  if (h.trap === undefined && serviceAt(core, h.pc)?.kind === 'lock') return true;
  return task.driver === true && h.pc >= task.start && h.pc < task.idleAt;
}

/**
 * Whether hart i, not in a trap and with no promise or guess open, could take a request of
 * this kind at its present instruction boundary, were one pending: the SBI call's
 * machine-mode interrupt anywhere, an IPI where supervisor interrupts are enabled,
 * stop_machine's where its task can also be scheduled out.
 */
export function interruptibleBy(core: Core, s: MachineState, i: number, kind: IpiRequest['kind']): boolean {
  if (kind === 'sbi') return true;
  return supervisorEnabled(core, s, i) && (kind !== 'stop' || schedulable(core, s, i));
}

/** Interrupt steps a hart not in a trap may take: its oldest pending interrupt it can take, a timer, a preempted task. */
export function interruptSuccessors(core: Core, s: MachineState, i: number, out: Successor[]): void {
  const h = s.harts[i];
  if (h.mem.promises.length || h.speculations.length) return;
  const enabled = supervisorEnabled(core, s, i);
  // Machine-mode interrupts (the SBI call's) are taken whatever the supervisor masks;
  // stop_machine's parks the hart only where its task can be scheduled out.
  const k = h.pending.findIndex((p) => p.kind === 'sbi' || (enabled && (p.kind !== 'stop' || schedulable(core, s, i))));
  if (k >= 0) takeInterrupts(core, s, i, k, out);
  const idle = isIdle(core, s, i);
  if (!idle && enabled && h.timersLeft > 0) out.push(takeTimer(core, s, i));
  // A task preempted with migration disabled waits for its own hart.
  if (idle) s.runq.forEach((q, e) => (q.pinned === undefined || q.pinned === i) && out.push(pick(core, s, i, e)));
}

/** Steps of a hart in a trap: leaving stop_machine's parking, being preempted, returning. */
export function trapSuccessors(core: Core, s: MachineState, i: number, certifying: boolean, out: Successor[]): void {
  const h = s.harts[i];
  const t = h.trap!;
  // The SBI call's machine-mode interrupt comes through whatever the supervisor does, a
  // handler or stop_machine's parking loop included; the firmware returns (MRET) to it.
  const k = h.pending.findIndex((p) => p.kind === 'sbi');
  if (!certifying && k >= 0 && !h.mem.promises.length && !h.speculations.length) takeInterrupts(core, s, i, k, out);
  if (t.parked) {
    if (t.release !== undefined) out.push(unpark(core, s, i));
    return;
  }
  // A task waiting for acknowledgements does so with preemption disabled (smp_call_function_many
  // runs under get_cpu()): it is not switched out there.
  if (!certifying && t.cause === 'timer' && taskOf(core, s.harts[i])?.preempt && s.harts[i].waiting === 0) out.push(preempt(core, s, i));
  trapReturn(core, s, i, out);
}

/**
 * The ways hart i can take its pending interrupt k: its handler finds the request, or
 * (where the raise was not ordered after the request's queueing: an IPI sent without its
 * `fence w,o`) the interrupt overtook the request and the handler finds the queue empty.
 */
function takeInterrupts(core: Core, s: MachineState, i: number, k: number, out: Successor[]): void {
  out.push(takeInterrupt(core, s, i, k, true));
  if (s.harts[i].pending[k].mayMiss) out.push(takeInterrupt(core, s, i, k, false));
}

/**
 * Taking an IPI (or the SBI call's interrupt): the raise came after what `view` covers, so
 * the handler's accesses come after it; the handler loads the request (the kernel takes its
 * work off a queue with a fully ordered atomic), runs FENCE.I, and acknowledges with a
 * release. A handler that finds no request (`found` false) does nothing: no FENCE.I, no
 * acknowledgement (the kernel's csd_lock_wait then waits on). stop_machine's interrupt
 * parks the hart instead, and its arrival is the acknowledgement. Nothing can observe the
 * hart between these, so they are one step.
 */
function takeInterrupt(core: Core, s: MachineState, i: number, k: number, found: boolean): Successor {
  const h = s.harts[i];
  const ipi = h.pending[k];
  const draft = new Draft(s);
  // Taken inside a handler (only the SBI call's, in machine mode): the firmware's handler
  // runs and returns to the supervisor's, whose trap frame stays as it was.
  const nested = h.trap;
  draft.events.push({ kind: 'trap', hart: i, sepc: nested ? nested.sepc : h.pc, cause: ipi.kind, ipi });
  let mem = delivered(h.mem, ipi.view);
  let parked = false;
  if (ipi.kind === 'stop') {
    mem = acquire(mem, ipi.view);
    parked = true;
    draft.events.push({ kind: 'parked', hart: i });
  } else if (!found) {
    draft.events.push({ kind: 'request', hart: i, seen: false });
  } else {
    if (ipi.request !== undefined) {
      mem = acquire(mem, ipi.request);
      draft.events.push({ kind: 'request', hart: i, seen: true });
    }
    mem = afterFenceI(mem, core.rules);
    if (core.rules.interruptAnchorsFenceI) mem = fetchesAfter(mem, ipi.view);
    draft.events.push({ kind: 'fence.i', hart: i, task: h.task, cause: 'ipi' });
  }
  const trap = nested ?? { sepc: h.pc, cause: ipi.kind, ipi, ...(parked ? { parked } : {}) };
  draft.setHart(i, editHart(h, { trap, pending: h.pending.filter((_, j) => j !== k), mem }));
  if (ipi.sync && found) {
    draft.events.push({ kind: 'ack', hart: i, ipi });
    acknowledge(core, draft, i, ipi, releaseView(mem, core.rules));
  }
  return draft.freeze({ kind: 'take-ipi', hart: i, pending: k, ...(found ? {} : { missed: true }) });
}

/** A timer interrupt: its handler loads nothing the patching harts wrote, and runs FENCE.I if the scenario says so. */
function takeTimer(core: Core, s: MachineState, i: number): Successor {
  const h = s.harts[i];
  const draft = new Draft(s);
  draft.events.push({ kind: 'trap', hart: i, sepc: h.pc, cause: 'timer' });
  let mem = h.mem;
  if (taskOf(core, h)?.timer?.fenceI) {
    mem = afterFenceI(mem, core.rules);
    draft.events.push({ kind: 'fence.i', hart: i, task: h.task, cause: 'handler' });
  }
  draft.setHart(i, editHart(h, { trap: { sepc: h.pc, cause: 'timer' }, timersLeft: h.timersLeft - 1, mem }));
  return draft.freeze({ kind: 'take-timer', hart: i });
}

/** Leaving stop_machine: what the patching hart did is acquired, then FENCE.I (everyone runs it before resuming). */
function unpark(core: Core, s: MachineState, i: number): Successor {
  const h = s.harts[i];
  const t = h.trap!;
  const draft = new Draft(s);
  draft.events.push({ kind: 'unparked', hart: i }, { kind: 'fence.i', hart: i, task: h.task, cause: 'handler' });
  const mem = afterFenceI(acquire(h.mem, t.release!), core.rules);
  draft.setHart(i, editHart(h, { trap: { sepc: t.sepc, cause: t.cause, ...(t.ipi ? { ipi: t.ipi } : {}) }, mem }));
  return draft.freeze({ kind: 'unpark', hart: i });
}

/**
 * Preemption at a timer interrupt: the task leaves the hart with its registers and what it
 * has done (the context switch is fully ordered); its fetch state stays with the hart.
 */
function preempt(core: Core, s: MachineState, i: number): Successor {
  const h = s.harts[i];
  const t = h.trap!;
  const draft = new Draft(s);
  draft.events.push({ kind: 'preempted', hart: i, task: h.task, sepc: t.sepc });
  const spec = taskOf(core, h)!.preempt!;
  const pinned = spec.migrate ? {} : { pinned: i };
  draft.runq = [...s.runq, { task: h.task, sepc: t.sepc, regs: h.regs, regViews: h.regViews, view: releaseView(h.mem, core.rules), fixups: spec.fixups, ...pinned }];
  draft.setHart(i, editHart(h, { trap: undefined, task: -1, pc: core.program.harts[i].idleAt, regs: ZERO_REGS, regViews: ZERO_VIEWS }));
  return draft.freeze({ kind: 'preempt', hart: i });
}

/** An idle hart resumes a preempted task: its registers, its interrupted pc, and what it had done; the hart's own fetch state. */
function pick(core: Core, s: MachineState, i: number, e: number): Successor {
  const h = s.harts[i];
  const task = s.runq[e];
  const draft = new Draft(s);
  draft.events.push({ kind: 'resumed', hart: i, task: task.task, sepc: task.sepc });
  draft.runq = s.runq.filter((_, j) => j !== e);
  // A finished task's registers stay readable for the claims that read them.
  if (h.task >= 0 && core.observedTasks.has(h.task)) draft.retired = [...s.retired, { task: h.task, regs: h.regs }];
  draft.setHart(
    i,
    editHart(h, {
      task: task.task,
      pc: task.sepc,
      regs: task.regs,
      regViews: task.regViews,
      mem: acquire(h.mem, task.view),
      trap: { sepc: task.sepc, cause: 'resume', fixups: task.fixups },
    }),
  );
  return draft.freeze({ kind: 'pick', hart: i, entry: e });
}

/**
 * The trap return: the fixups read the word at sepc with a data load, which may see older
 * code. They are the kernel's: the firmware's return from the SBI call's interrupt (MRET)
 * does not apply them, nor does a resumed task's path that the scenario says skips them;
 * and a fixup restricted to some entries or traps applies only there (fixups.ts). The load
 * is made only where one may apply.
 */
function trapReturn(core: Core, s: MachineState, i: number, out: Successor[]): void {
  const h = s.harts[i];
  const fixups = fixupsFor(core, h.trap!);
  const at = fixups.length ? core.layout.offset(h.trap!.sepc, 4) : undefined;
  if (at === undefined) {
    out.push(resume(core, s, i, undefined, undefined, fixups));
    return;
  }
  if (h.mem.v.rNewT) return;
  watchOrdering(core.rules, h.mem.v, 'fetchBeforeReads', h.mem.v.rNew, h.mem.v.rNewT);
  for (const c of loadChoices(core, s, h.mem, at, 4, h.mem.v.rNew)) out.push(resume(core, s, i, c, at, fixups));
}

function resume(core: Core, s: MachineState, i: number, c: ReadChoice | undefined, at: number | undefined, fixups: readonly TrapReturnFixup[]): Successor {
  const h = s.harts[i];
  const t = h.trap!;
  const sepc = t.sepc;
  const draft = new Draft(s);
  let mem = h.mem;
  let fixup: TrapReturnFixup | undefined;
  if (c && c.kind === 'snapshot' && at !== undefined) {
    let post = h.mem.v.rNew;
    for (const time of c.sources) post = Math.max(post, time);
    if (core.model.stores === 'sc') post = s.timeline.length;
    mem = afterRead(mem, at, 4, post, 0, false);
    const word = Number(c.value);
    fixup = matching(fixups, word);
    const now = latestValue(s.timeline, core.layout, at, 4);
    draft.events.push({ kind: 'load', hart: i, addr: sepc, size: 4, value: c.value, stale: c.value !== now });
  }
  const to = fixup ? BigInt.asUintN(64, sepc + fixup.adjust) : sepc;
  const skipped = c ? undefined : skippedFixup(core, s.timeline, t);
  draft.events.push({ kind: 'trap-return', hart: i, sepc, resume: to, fixup: fixup?.name, ...(t.cause === 'sbi' ? { mode: 'machine' as const } : {}), ...(skipped ? { skipped } : {}) });
  draft.setHart(i, editHart(h, { trap: undefined, pc: to, mem }));
  if (!runnableAt(core, to, idlePc(core, h, i))) {
    const ending: Ending = { kind: 'wild-jump', hart: i, task: h.task, from: sepc, to };
    draft.halted = ending;
    draft.events.push({ kind: 'crash', ending });
  }
  return draft.freeze({ kind: 'trap-return', hart: i, load: c ?? { kind: 'snapshot', time: 0, sources: [], value: 0n } });
}
