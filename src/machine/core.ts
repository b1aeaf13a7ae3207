// What the machine's step functions share: the fixed setup of one machine, and a draft of
// the successor state that a step edits (copy on write) before it is frozen into a state.
// Every store that takes a place in the timeline goes through `appendStore`, which is
// also where speculative fetches get confirmed and reservations broken.

import type { FetchRules } from './model.ts';
import type { FetchSetup } from './fetch.ts';
import type { MemoryLayout } from './memory.ts';
import { latestValue, overlapsMsg, type Msg } from './timeline.ts';
import type { Ending, HartState, LockState, MachineEvent, MachineState, MachineModel, PatcherState, Preempted, Program, Retired, Transition } from './types.ts';
import { untaint } from './views.ts';

export interface Core {
  readonly program: Program;
  readonly model: MachineModel;
  readonly rules: FetchRules;
  readonly layout: MemoryLayout;
  readonly setup: FetchSetup;
  /** Fetches may read stores still to come (the configuration lets fetches run ahead of the hart). */
  readonly speculates: boolean;
  /** What speculative fetches may guess (see FutureValues). */
  readonly future: FutureValues;
  /** Values stores gave fetch pieces in this search, and who stored them: the next round's guesses. */
  readonly pieceValues: FutureValues;
  /** Tasks (by remote hart index) whose final registers something looks at. */
  readonly observedTasks: ReadonlySet<number>;
}

/**
 * Per fetch piece (by start offset): values stores may give it later, each with who may
 * store it: `p1.4` for step 4 of patching hart 1, `any` for a store whose author's future
 * we do not follow (a remote hart's instruction, a promise).
 */
export type FutureValues = Map<number, Map<bigint, Set<string>>>;

/** Adds `more` to `into`; whether anything was new. */
export function addFuture(into: FutureValues, more: FutureValues): boolean {
  let grown = false;
  for (const [piece, values] of more) {
    let byValue = into.get(piece);
    if (!byValue) into.set(piece, (byValue = new Map()));
    for (const [v, sources] of values) {
      let set = byValue.get(v);
      if (!set) byValue.set(v, (set = new Set()));
      for (const src of sources) {
        if (set.has(src)) continue;
        set.add(src);
        grown = true;
      }
    }
  }
  return grown;
}

export function noteFuture(into: FutureValues, piece: number, value: bigint, source: string): void {
  let byValue = into.get(piece);
  if (!byValue) into.set(piece, (byValue = new Map()));
  let set = byValue.get(value);
  if (!set) byValue.set(value, (set = new Set()));
  set.add(source);
}

/** A remote hart or a patching hart: harts are 0..H-1, patching harts H.. in the order given. */
export type Actor = number;

export interface Successor {
  readonly transition: Transition;
  readonly state: MachineState;
  readonly events: readonly MachineEvent[];
}

/** A successor state under construction. */
export class Draft {
  timeline: readonly Msg[];
  harts: readonly HartState[];
  patchers: readonly PatcherState[];
  runq: readonly Preempted[];
  retired: readonly Retired[];
  locks: readonly LockState[];
  handlers: number;
  halted: Ending | undefined = undefined;
  readonly events: MachineEvent[] = [];
  private hartsCopied = false;
  private patchersCopied = false;

  constructor(readonly from: MachineState) {
    this.timeline = from.timeline;
    this.harts = from.harts;
    this.patchers = from.patchers;
    this.runq = from.runq;
    this.retired = from.retired;
    this.locks = from.locks;
    this.handlers = from.handlers;
  }

  setHart(i: number, h: HartState): void {
    if (!this.hartsCopied) {
      this.harts = this.harts.slice();
      this.hartsCopied = true;
    }
    (this.harts as HartState[])[i] = h;
  }

  setPatcher(i: number, p: PatcherState): void {
    if (!this.patchersCopied) {
      this.patchers = this.patchers.slice();
      this.patchersCopied = true;
    }
    (this.patchers as PatcherState[])[i] = p;
  }

  freeze(transition: Transition): Successor {
    return { transition, state: { timeline: this.timeline, harts: this.harts, patchers: this.patchers, runq: this.runq, retired: this.retired, locks: this.locks, handlers: this.handlers, halted: this.halted }, events: this.events };
  }
}

/**
 * A changed hart state: a new object, keeping only the cached key parts that still hold.
 * Built field by field so that every hart state has the same shape (fast property access).
 */
export function editHart(h: HartState, changes: Partial<HartState>): HartState {
  const regs = changes.regs ?? h.regs;
  const regViews = changes.regViews ?? h.regViews;
  const trap = 'trap' in changes ? changes.trap : h.trap;
  const pending = changes.pending ?? h.pending;
  const mem = changes.mem ?? h.mem;
  const reserved = 'reserved' in changes ? changes.reserved : h.reserved;
  const speculations = changes.speculations ?? h.speculations;
  const task = changes.task ?? h.task;
  const timersLeft = changes.timersLeft ?? h.timersLeft;
  const waiting = changes.waiting ?? h.waiting;
  const restSame = trap === h.trap && pending === h.pending && mem === h.mem && reserved === h.reserved && speculations === h.speculations && task === h.task && timersLeft === h.timersLeft && waiting === h.waiting;
  return {
    pc: changes.pc ?? h.pc,
    regs,
    regViews,
    trap,
    pending,
    mem,
    reserved,
    speculations,
    task,
    timersLeft,
    waiting,
    id: undefined,
    regsId: regs === h.regs && regViews === h.regViews ? h.regsId : undefined,
    restId: restSame ? h.restId : undefined,
  };
}

/**
 * A store takes the next place in the timeline: confirm the speculative fetches it makes
 * right, break other harts' reservations on its bytes, and remember what it gave each
 * fetch piece. Returns its time.
 */
export function appendStore(core: Core, d: Draft, actor: Actor, at: number, size: number, value: bigint, source = 'any'): number {
  const msg: Msg = { at, size, value, actor };
  d.timeline = [...d.timeline, msg];
  const t = d.timeline.length;
  for (let i = 0; i < d.harts.length; i++) {
    let h = d.harts[i];
    if (i !== actor && h.reserved && overlapsMsg(msg, h.reserved.at, h.reserved.size)) h = editHart(h, { reserved: undefined });
    if (h.speculations.length) {
      const confirmed = h.speculations.filter((sp) => overlapsMsg(msg, sp.at, sp.size) && latestValue(d.timeline, core.layout, sp.at, sp.size) === sp.value);
      if (confirmed.length) {
        let mem = h.mem;
        for (const sp of confirmed) {
          mem = untaint(mem, sp.bit, t);
          d.events.push({ kind: 'confirm', hart: i, addr: core.layout.addressOf(sp.at), time: t });
        }
        h = editHart(h, { mem, speculations: h.speculations.filter((sp) => !confirmed.includes(sp)) });
      }
    }
    if (h !== d.harts[i]) d.setHart(i, h);
  }
  recordPieces(core, d.timeline, msg, source);
  return t;
}

function recordPieces(core: Core, tl: readonly Msg[], msg: Msg, source: string): void {
  if (!core.speculates) return;
  const piece = core.setup.piece;
  for (let start = msg.at - (msg.at % piece); start < msg.at + msg.size; start += piece) {
    if (!core.layout.isCode(safeAddress(core.layout, start, msg.at))) continue;
    noteFuture(core.pieceValues, start, latestValue(tl, core.layout, start, piece), source);
  }
}

/** The address of offset `start`, or of the store's first byte when the piece begins in padding. */
function safeAddress(layout: MemoryLayout, start: number, fallback: number): bigint {
  try {
    return layout.addressOf(start);
  } catch {
    return layout.addressOf(fallback);
  }
}
