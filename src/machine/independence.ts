// Partial-order reduction's one question, answered in one place: may a search take every
// step remote hart `a` can take in a state, and only those, and still reach every state
// where a run ends (with everything the run showed)? It may when each of those steps
// commutes with every step the other actors can take before `a` moves (the others'
// "window"), and none of those can enable a new step of `a` that competes with them: an
// ample (persistent) set made of one hart's steps.
//
// What a step of `a` reads and writes decides it:
//   - an instruction: its fetch reads the pieces at its pc, a load its bytes; stores, CSR
//     accesses, service calls and halting (a crash stops every hart) are never reduced;
//   - taking an IPI or the SBI call's interrupt: the hart's own state, and an
//     acknowledgement to the sender (which only it and the other targets' acks touch);
//   - returning from a trap: the word at sepc where a fixup reads it.
// What the others may do before `a` moves: every remote hart anything (but their code
// never stores, or nothing is reduced, and it raises requests only through service stubs);
// each patching hart its steps from the next one on, up to the first that waits for `a`
// (a synchronous IPI or completed SBI call to it, stop_machine) or, while it waits for
// `a`'s acknowledgement already, nothing. A step of `a` conflicts with their stores to the
// bytes it reads, with a handler being (un)registered, and with a request raised at `a`
// where `a` could take it now and would then not be where the step takes it.
//
// That last case is the subtle one: an interrupt landing before an instruction or after it
// are different runs. They are the same run but for sepc when the handler reads neither
// registers nor pc (IPI and SBI handlers: a request, FENCE.I, an acknowledgement), the
// instruction leaves the hart's memory views as they were (so its acknowledgement passes
// on the same), and no trap-return fixup can act at either place (none applies, or the
// word it would read there is code no store changes, and does not match). Landing first,
// the hart acknowledges before its step, and what waited for that acknowledgement may then
// come before the step too, the requests it raises included: the step must commute with
// all of it as well, and each of those must land the same on either side. stop_machine's
// parking depends on where a task can be scheduled out: never reduced across it. A hart
// that already has an interrupt it can take keeps it first whatever arrives later.
//
// RCU Tasks grace periods look at where every task is: nothing is reduced until each
// patching hart is past its last one. The observer's side (the steps change nothing a
// claim reads, the observed registers included) and the cycle proviso are the explorer's.

import { decode } from '../isa/index.ts';
import type { Core, Successor } from './core.ts';
import { fixupsFor, kernelFixupsAt, matching } from './fixups.ts';
import { hartSuccessors } from './hart.ts';
import { interruptibleBy, isIdle } from './interrupts.ts';
import type { IpiRequest, MachineState } from './types.ts';

type RequestKind = IpiRequest['kind'];

export class Independence {
  /** Per byte offset: some patch step may store to it. */
  private readonly written: Uint8Array;
  /** Every byte may be written: some remote hart's code may store, anywhere (nothing is reduced then). */
  private readonly allWritten: boolean;
  /** Per remote hart: request kinds the harts' own code may raise at it (service stubs). */
  private readonly fromCode: ReadonlyArray<ReadonlySet<RequestKind>>;
  /** Per patching hart: the index after its last RCU Tasks step (reduction waits until it is past). */
  private readonly pastGracePeriods: readonly number[];

  constructor(
    private readonly core: Core,
    hartsMayStore: boolean,
  ) {
    const { program, layout } = core;
    this.allWritten = hartsMayStore;
    this.written = new Uint8Array(layout.initial.length);
    for (const p of program.patchers) {
      for (const st of p.steps) {
        if (st.kind !== 'store') continue;
        const at = layout.offset(st.addr, st.size);
        if (at !== undefined) this.written.fill(1, at, at + st.size);
      }
    }
    this.fromCode = program.harts.map((_, i) => {
      const kinds = new Set<RequestKind>();
      for (const st of program.stubs) if ((st.service?.kind === 'ipi' || st.service?.kind === 'sbi') && st.service.targets.includes(i)) kinds.add(st.service.kind);
      return kinds;
    });
    this.pastGracePeriods = program.patchers.map((p) => {
      let after = 0;
      p.steps.forEach((st, k) => (st.kind === 'rcu-tasks' || st.kind === 'rcu-tasks-wait') && (after = k + 1));
      return after;
    });
  }

  /**
   * Whether `steps`, every step remote hart i can take in `s` (promises included), may be
   * taken alone: see the header.
   */
  isAmple(s: MachineState, i: number, steps: readonly Successor[]): boolean {
    const { core } = this;
    const h = s.harts[i];
    if (!steps.length || s.halted || this.allWritten || h.waiting || h.speculations.length || h.mem.promises.length || h.reserved || h.trap?.parked) return false;
    if (h.task >= 0 && core.observedTasks.has(h.task)) return false; // its final registers are read
    if (isIdle(core, s, i) || !this.gracePeriodsOver(s)) return false;
    const window = this.window(s, i);
    if (!window) return false;
    for (const x of steps) if (!this.commutes(s, i, x, window.stores)) return false;
    // A request raised before the hart moves: only where it could not land now, or where
    // one it can take already comes first, or where landing after the step is the same.
    if (window.raises.size === 0 || steps.some((x) => x.transition.kind === 'take-ipi')) return true;
    if (![...window.raises].some((kind) => interruptibleBy(core, s, i, kind))) return true;
    // Landing first, the hart acknowledges before its step: whatever waited for that
    // acknowledgement may come before the step too, the requests it raises included (a
    // stop_machine that parks the hart right there). The step must commute with all of it.
    const beyond = this.window(s, i, false);
    if (!beyond || steps.length !== 1) return false;
    for (const kind of beyond.raises) if (interruptibleBy(core, s, i, kind) && !this.transparent(s, i, steps[0], kind)) return false;
    return this.commutes(s, i, steps[0], beyond.stores);
  }

  /** Step x of hart i touches nothing the others may touch before it, and nothing but hart i (and the acknowledged sender). */
  private commutes(s: MachineState, i: number, x: Successor, stores: ReadonlyArray<readonly [number, number]>): boolean {
    const t = x.transition;
    const n = x.state;
    if (n.halted || n.timeline !== s.timeline || n.runq !== s.runq || n.retired !== s.retired || n.locks !== s.locks || n.handlers !== s.handlers) return false;
    for (let j = 0; j < s.harts.length; j++) if (j !== i && n.harts[j] !== s.harts[j]) return false;
    const h = s.harts[i];
    // Bytes outside memory are never read (a return to the idle point loads no word there).
    const written = (addr: bigint, size: number) => {
      const at = this.core.layout.offset(addr, size);
      return at !== undefined && stores.some(([a, b]) => a < at + size && at < b);
    };
    switch (t.kind) {
      case 'exec': {
        if (t.store || n.patchers !== s.patchers) return false;
        if (decode(t.bits).op.startsWith('csr')) return false;
        const fetched = x.events[0];
        if (fetched?.kind !== 'exec' || this.piecesWritten(h.pc, fetched.length, stores)) return false;
        return x.events.every((e) => e.kind !== 'load' || !written(e.addr, e.size));
      }
      case 'take-ipi':
        // Stop_machine's parks the hart (and restart depends on it): never.
        return h.pending[t.pending]?.kind !== 'stop';
      case 'trap-return':
        // Where a fixup applies, the return loads the word at sepc.
        return n.patchers === s.patchers && !(fixupsFor(this.core, h.trap!).length && written(h.trap!.sepc, 4));
      default:
        return false;
    }
  }

  /**
   * What the other actors may do before hart i moves, as far as it can matter to hart i:
   * the bytes they may store (offset ranges) and the requests they may raise at it;
   * undefined when a handler may be (un)registered meanwhile. `untilWaits`: a patching
   * hart's steps stop at the first that waits for hart i (false: all of them, for when
   * hart i may acknowledge first).
   */
  private window(s: MachineState, i: number, untilWaits = true): { stores: Array<readonly [number, number]>; raises: Set<RequestKind> } | undefined {
    const { layout, program } = this.core;
    const stores: Array<readonly [number, number]> = [];
    const raises = new Set(this.fromCode[i]);
    for (let p = 0; p < program.patchers.length; p++) {
      const ps = s.patchers[p];
      if (untilWaits && ps.waiting & (1 << i)) continue; // waits for this hart's acknowledgement first
      const steps = program.patchers[p].steps;
      for (let j = ps.step; j < steps.length; j++) {
        const st = steps[j];
        if (st.kind === 'store') {
          const at = layout.offset(st.addr, st.size);
          if (at !== undefined) stores.push([at, at + st.size]);
        } else if (st.kind === 'register' || st.kind === 'unregister') return undefined;
        else if (st.kind === 'stop') {
          raises.add('stop');
          if (untilWaits) break; // waits until this hart parks
        } else if ((st.kind === 'ipi' || st.kind === 'sbi') && st.targets.includes(i)) {
          raises.add(st.kind);
          if (untilWaits && (st.kind === 'ipi' ? st.sync : st.completion === 'completed')) break; // waits for this hart
        }
      }
    }
    return { stores, raises };
  }

  /** Whether a patch store in the window may write a byte of a fetch piece the instruction at pc read. */
  private piecesWritten(pc: bigint, length: number, stores: ReadonlyArray<readonly [number, number]>): boolean {
    const { layout, setup } = this.core;
    for (let k = 0; k < length; k += 2) {
      const at = layout.offset(pc + BigInt(k), 2);
      if (at === undefined) return true;
      const start = at - (at % setup.piece);
      if (stores.some(([a, b]) => a < start + setup.piece && start < b)) return true;
    }
    return false;
  }

  /**
   * A request of this kind landing at hart i before its one step x (an instruction) is the
   * same run as landing right after it: see the header.
   */
  private transparent(s: MachineState, i: number, x: Successor, kind: RequestKind): boolean {
    if (kind === 'stop' || x.transition.kind !== 'exec') return false;
    const n = x.state;
    // Its acknowledgement would pass on more. Asked of the step computed here from this very
    // hart state: a step the step cache gives carries the memory state of the hart it was
    // first computed for (equal up to the key, not the same object).
    const own: Successor[] = [];
    hartSuccessors(this.core, s, i, { certifying: false }, own);
    if (own.length !== 1 || own[0].state.harts[i].mem !== s.harts[i].mem) return false;
    if (!interruptibleBy(this.core, n, i, kind)) return false; // could not land right after it instead
    // The firmware's MRET runs no fixups; the kernel's return from an IPI does.
    return kind !== 'ipi' || (this.fixupInert(s.harts[i].pc) && this.fixupInert(n.harts[i].pc));
  }

  /** No fixup of an IPI's return at `sepc` can act: none applies there, or the word it reads can never match. */
  private fixupInert(sepc: bigint): boolean {
    const fixups = kernelFixupsAt(this.core, sepc, 'ipi');
    if (!fixups.length) return true;
    const at = this.core.layout.offset(sepc, 4);
    if (at === undefined) return true; // no word there: the return loads nothing
    if (!this.unwritable(sepc, 4)) return false;
    const b = this.core.layout.initial;
    return matching(fixups, (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0) === undefined;
  }

  private gracePeriodsOver(s: MachineState): boolean {
    return s.patchers.every((p, k) => p.owed === 0 && p.step >= this.pastGracePeriods[k]);
  }

  /** No patch store can ever write a byte of [addr, addr + size). */
  private unwritable(addr: bigint, size: number): boolean {
    const at = this.core.layout.offset(addr, size);
    if (this.allWritten || at === undefined) return false;
    for (let b = at; b < at + size; b++) if (this.written[b]) return false;
    return true;
  }
}
