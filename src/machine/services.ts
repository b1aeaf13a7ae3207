// What a hart asks of the others, and the locks harts share: a remote fence.i by IPI or
// by the SBI call, stop_machine's interrupt, a lock taken or released. A patching hart's
// step and a hart's code calling a service stub (flush_icache_all, sbi_remote_fence_i,
// mutex_lock) both come here, so the short form and the code mean the same: the patch
// steps are sugar over these actions.
//
// Senders are actors: remote hart i, or patching hart p as actor H + p.

import { editHart, type Core, type Draft } from './core.ts';
import { FENCE_I_READINGS } from './model.ts';
import type { IpiRequest, LockState, MachineState, RequestStep, Service } from './types.ts';
import { acquire, afterFence, releaseView, watchOrdering, type ThreadMem } from './views.ts';

const FENCE_W = 1;
const FENCE_O = 4;
const max = (a: number, b: number) => (a > b ? a : b);

/**
 * What a request's raise comes after, and what its handler learns by loading the request.
 *
 * - The kernel's IPI queues its request (llist_add, a fully ordered atomic: `queue:
 *   ordered`), so loading it gives the handler everything the sender did; a plain store
 *   (`relaxed`) gives it only what the sender's fences already put before its stores.
 *   `fence w,o` then orders the sender's stores, the request's included, before the raise
 *   (`fence: true`, as Linux has it); without it only the sender's own earlier fences do.
 * - The SBI call carries what a `fence w,o` before it ordered, or everything when the
 *   firmware orders the caller's stores itself (`ordered`).
 * - stop_machine's interrupt comes after everything: the stopper threads are woken with
 *   fully ordered operations.
 * - Under `stores: sc` every access is in program order, the raise (an output) too.
 *
 * `fetched`: for a hart whose code makes the request, the floor of its fetches. Under the
 * `transitive` reading of FENCE.I the instruction that makes the request is fetched after
 * it (ir3) and acts after its fetch (ir1), so the raise comes after the FENCE.I's earlier
 * accesses; under `fetch-only` it does not. (A patching hart's FENCE.I step applies the
 * same rule to its views directly: it fetches no modelled code.)
 */
export function requestViews(core: Core, mem: ThreadMem, step: RequestStep, fetched: number): RequestViews {
  const everything = releaseView(mem, core.rules);
  const anchor = FENCE_I_READINGS[core.model.fenceI].ordersOutput ? fetched : 0;
  if (core.model.stores === 'sc' || step.kind === 'stop') return { raised: everything, request: step.kind === 'ipi' && step.handler === 'bare' ? undefined : everything, mayMiss: false };
  if (step.kind === 'sbi') {
    // The firmware queues and raises with its own barriers: its handler always finds the request.
    const raised = step.ordered ? everything : max(mem.v.oNew, anchor);
    return { raised, request: raised, mayMiss: false };
  }
  // A plain store's place comes after what the sender's fences and dependencies put before its stores.
  const queued = step.queue === 'ordered' ? everything : max(mem.v.wNew, mem.v.cap);
  watchOrdering(core.rules, mem.v, 'fetchBeforeWrites', queued, ~0);
  const raised = step.fence ? max(max(afterFence(mem, FENCE_W, FENCE_O, false).v.oNew, queued), anchor) : max(mem.v.oNew, anchor);
  // Without the fence nothing orders the queueing store before the raise (an AMO's .aqrl
  // orders memory accesses, not device output): the handler may look before it is there.
  // (A bare handler looks at no queue.)
  return { raised, request: step.handler === 'bare' ? undefined : queued, mayMiss: !step.fence && step.handler !== 'bare' };
}

export interface RequestViews {
  readonly raised: number;
  readonly request: number | undefined;
  readonly mayMiss: boolean;
}

/** Whether the sender waits for the targets: a synchronous IPI, an SBI call that returns on completion, stop_machine. */
export function waitsForTargets(step: RequestStep): boolean {
  return (step.kind === 'ipi' && step.sync) || (step.kind === 'sbi' && step.completion === 'completed') || step.kind === 'stop';
}

/**
 * Raises the interrupts of `step` on its targets (every remote hart for stop_machine; a
 * hart never interrupts itself) and tells what happened. Returns the harts (bit per
 * index) whose acknowledgement the sender now waits for.
 */
export function raiseRequest(core: Core, d: Draft, sender: number, stepIndex: number, step: RequestStep, views: RequestViews): number {
  const H = core.program.harts.length;
  const all = step.kind === 'stop' ? core.program.harts.map((_, i) => i) : step.targets;
  const targets = all.filter((t) => t !== sender);
  const sync = waitsForTargets(step);
  const ipi: IpiRequest = { kind: step.kind, sender, step: stepIndex, view: views.raised, request: views.request, sync, mayMiss: views.mayMiss };
  for (const t of targets) {
    const h = d.harts[t];
    d.setHart(t, editHart(h, { pending: [...h.pending, ipi] }));
  }
  d.events.push({ kind: 'ipi-sent', ...(sender < H ? { hart: sender } : { patcher: sender - H }), request: step, targets, sync });
  return sync ? targets.reduce((m, t) => m | (1 << t), 0) : 0;
}

/**
 * Hart `i` acknowledges `ipi` with what it has done (a release): its sender, waiting for
 * it, acquires that (the kernel's csd_lock_wait, or the SBI call's completion).
 */
export function acknowledge(core: Core, d: Draft, i: number, ipi: IpiRequest, view: number): void {
  const H = core.program.harts.length;
  if (ipi.sender >= H) {
    const p = d.patchers[ipi.sender - H];
    d.setPatcher(ipi.sender - H, { ...p, waiting: p.waiting & ~(1 << i), mem: acquire(p.mem, view) });
  } else {
    const h = d.harts[ipi.sender];
    d.setHart(ipi.sender, editHart(h, { waiting: h.waiting & ~(1 << i), mem: acquire(h.mem, view) }));
  }
}

/** Whether `actor` may take lock `lock` now: nobody holds it. */
export function lockFree(s: MachineState, lock: number): boolean {
  return s.locks[lock].holder === undefined;
}

/**
 * `actor` takes or releases a lock: taking it acquires what its last holder did before
 * releasing it; releasing passes on everything the actor did. Returns the actor's views after.
 */
export function lockStep(core: Core, d: Draft, actor: number, step: Extract<Service, { kind: 'lock' | 'unlock' }>, mem: ThreadMem): ThreadMem {
  const H = core.program.harts.length;
  const lock = d.locks[step.lock];
  const locks: LockState[] = d.locks.slice();
  locks[step.lock] = step.kind === 'lock' ? { holder: actor, view: lock.view } : { holder: undefined, view: releaseView(mem, core.rules) };
  d.locks = locks;
  d.events.push({ kind: 'lock', ...(actor < H ? { hart: actor } : { patcher: actor - H }), lock: core.program.locks![step.lock], taken: step.kind === 'lock' });
  return step.kind === 'lock' ? acquire(mem, lock.view) : mem;
}
