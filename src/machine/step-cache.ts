// A remote hart's steps, computed once per context. A search meets the same hart state
// over the same memory in very many global states, which differ only in what the other
// harts and the patching harts are doing (the seed's three-hart run: 3.4 million calls of
// `hartSuccessors` for 1,657 contexts). In the common case a hart's steps depend on
// nothing but its own state, the timeline and which trap handlers are registered, and
// change nothing but that hart: those are computed once and, in any other state with the
// same context, applied again by putting the new hart state in place.
//
// Why a cached step is valid in another state `s` with the same context. The cache is only
// used when the hart is in the common case: not idle, nor in a handler that returns to idle
// (so it runs a task, no run-queue entry can come to it, and its id is its own), not
// waiting for acknowledgements, no promise or speculation open, and the machine does not
// speculate (the guesses of a speculative fetch depend on the patching harts' progress).
// There `hartSuccessors` reads (hart.ts, interrupts.ts, fetch.ts, loads.ts, semantics.ts):
//   - the hart's own state (`interruptSuccessors` its pending requests, its timer count and
//     whether interrupts are enabled at its pc; the trap's steps its trap frame, a return's
//     fixups and the word at sepc; the fetch, the instruction, its load and store its pc,
//     registers, views, reservation): keyed by the machine's interned id of the hart state,
//     which names the same pc, registers, views, reservation, trap frame and pending
//     requests (up to what keys leave out because no future depends on it: the explorer
//     merges states on that already), and by its task (the id names a task only by its class);
//   - the hart's index (it is in the transitions, the events and the idle point);
//   - the timeline's places, sizes and values (fetch and load snapshots, stale fetches and
//     loads, the end of the timeline under `stores: sc`): keyed by the machine's timeline
//     id. Not who wrote each store: only an LR's reservation looks at that, so steps
//     that execute an LR are never cached;
//   - which trap handlers are registered (an EBREAK or illegal instruction): keyed;
//   - the fixed setup (program, model, layout).
// Nothing else of the state: no other hart, no patching hart, no lock, not the run queue.
// A cached step is one whose successor differs from its state only in that hart (same
// timeline, patching harts, run queue, retired tasks, locks and handlers objects, every
// other hart the same object, no crash), with no promise or speculation on the new hart
// state, so the promise filter of `Machine.successors` keeps it whatever the state.
// Applying it builds the state `Draft.freeze` builds: the same objects but a copy of the
// harts with this one replaced, the same transition and events objects (immutable; the
// grace periods are settled afterwards on the applied state, as on a computed one). The new
// hart state object is shared by every state the step is applied to: the key parts cached
// on it (`id`, `regsId`, `restId`) are functions of the object alone (the id of a hart
// whose id depends on the rest of the state is never cached on it: machine.ts `hartId`).
// Steps that touch anything else (a store appended to the timeline, a request raised at
// other harts, an acknowledgement, a lock, a crash, a speculation confirmed, the run
// queue) and contexts with any such step, or at a service stub, are computed every time.

import { decode } from '../isa/index.ts';
import type { Core, Successor } from './core.ts';
import { hartSuccessors } from './hart.ts';
import { serviceStubAt } from './interrupts.ts';
import type { HartState, MachineEvent, MachineState, Timeline, Transition } from './types.ts';

/** What the cache asks of the machine: its interned ids (machine.ts). */
export interface StepCacheKeys {
  /** The interned id of hart i's state (only asked of harts in the common case, whose id is their own). */
  hartId(s: MachineState, i: number): number;
  /** The interned id of a timeline: its stores' places, sizes and values. */
  timelineId(tl: Timeline): number;
}

/** A step that changes only its hart: the hart's new state, the transition, the events. */
interface CachedStep {
  readonly hart: HartState;
  readonly transition: Transition;
  readonly events: readonly MachineEvent[];
}

/** Contexts kept at most; past it the cache starts again empty (a long search meets ever new ones). */
const CONTEXT_LIMIT = 1 << 16;

const STEP_OPTIONS = { certifying: false } as const;

export class StepCache {
  /** Per timeline id and handlers, per hart id, index and task: the steps, or null (computed each time). */
  private readonly contexts = new Map<number, Map<number, readonly CachedStep[] | null>>();
  private size = 0;
  /** Steps lists taken from the cache (the tests check that it was used). */
  hits = 0;
  /** 2^(trap handlers): the registered handlers' bits fit below it. */
  private readonly handlerSpan: number;
  readonly enabled: boolean;

  constructor(
    private readonly core: Core,
    private readonly keys: StepCacheKeys,
    enabled: boolean,
    private readonly limit = CONTEXT_LIMIT,
  ) {
    const harts = core.program.harts.length;
    const traps = core.program.traps?.length ?? 0;
    this.handlerSpan = 2 ** traps;
    // The context's numbers stay exact integers: interned ids are below 2^30 (64 Maps of at most 2^24).
    this.enabled = enabled && !core.speculates && traps <= 20 && harts <= 1024;
  }

  /** Hart i's steps in `s` (as `hartSuccessors` gives them outside certification), appended to `out`. */
  steps(s: MachineState, i: number, out: Successor[]): void {
    const h = s.harts[i];
    if (!this.enabled || !this.common(h)) {
      hartSuccessors(this.core, s, i, STEP_OPTIONS, out);
      return;
    }
    const shared = this.keys.timelineId(s.timeline) * this.handlerSpan + s.handlers;
    const H = s.harts.length;
    const own = ((h.id ?? this.keys.hartId(s, i)) * H + i) * H + h.task;
    let byHart = this.contexts.get(shared);
    const known = byHart?.get(own);
    if (known === undefined || known === null) {
      const start = out.length;
      hartSuccessors(this.core, s, i, STEP_OPTIONS, out);
      if (known === null) return;
      if (this.size >= this.limit) {
        this.contexts.clear();
        this.size = 0;
        byHart = undefined;
      }
      if (byHart === undefined) this.contexts.set(shared, (byHart = new Map()));
      byHart.set(own, this.cacheable(s, i, out, start));
      this.size++;
      return;
    }
    this.hits++;
    for (const step of known) {
      const harts = s.harts.slice();
      harts[i] = step.hart;
      // As Draft.freeze builds it (same fields, same order).
      const state: MachineState = { timeline: s.timeline, harts, patchers: s.patchers, runq: s.runq, retired: s.retired, locks: s.locks, handlers: s.handlers, halted: undefined };
      out.push({ transition: step.transition, state, events: step.events });
    }
  }

  /** The common case, where the steps depend only on the context (see the top of the file). */
  private common(h: HartState): boolean {
    if (h.waiting !== 0 || h.speculations.length !== 0 || h.mem.promises.length !== 0 || h.task < 0) return false;
    // Idle, or in a handler that returns to idle: its id depends on the rest of the state.
    const idleAt = this.core.program.harts[h.task].idleAt;
    return h.trap ? h.trap.sepc !== idleAt : h.pc !== idleAt;
  }

  /** The steps `out[start..]` of hart i in `s` as cached steps, or null if some step touches more than the hart. */
  private cacheable(s: MachineState, i: number, out: readonly Successor[], start: number): CachedStep[] | null {
    if (serviceStubAt(this.core, s.harts[i].pc)) return null; // a service reads and changes other harts, locks
    const steps: CachedStep[] = [];
    for (let k = start; k < out.length; k++) {
      const { transition, state: n, events } = out[k];
      if (n.timeline !== s.timeline || n.patchers !== s.patchers || n.runq !== s.runq || n.retired !== s.retired || n.locks !== s.locks || n.handlers !== s.handlers || n.halted !== undefined) return null;
      for (let j = 0; j < s.harts.length; j++) if (j !== i && n.harts[j] !== s.harts[j]) return null;
      const hart = n.harts[i];
      if (hart.mem.promises.length || hart.speculations.length) return null;
      // An LR's reservation depends on who wrote the stores since the one it read.
      if (transition.kind === 'exec' && decode(transition.bits).op.startsWith('lr.')) return null;
      steps.push({ hart, transition, events });
    }
    return steps;
  }
}
