// A thread's views of the timeline, and how each kind of event reads and moves them: the
// rules of the Promising-RISC-V model (Pulte et al., PLDI 2019), which is equivalent to
// RVWMO's axioms, extended with instruction-fetch events as the ifetch suite orders them.
//
// A view is a time. An event may happen "at" a time no earlier than its pre-view, the join
// of the views of everything ordered before it (preserved program order, fences, and the
// fetch rules of the configuration): a load then reads memory as of its pre-view or later;
// a store takes a place in the timeline after its pre-view.
//
// A fetch may also read a store that is not in the timeline yet (a speculative fetch, see
// machine.ts). Until that store appears, the fetch's time is unknown: views that include
// it carry a taint bit, and an event whose pre-view is tainted must wait.

import { IntKey } from './int-tuples.ts';
import type { FetchRules } from './model.ts';
import { lastWrite, type Timeline } from './timeline.ts';

export interface Views {
  /** Latest time of the thread's reads so far (for fences with predecessor r). */
  readonly rOld: number;
  /** Latest time of its stores so far (predecessor w). */
  readonly wOld: number;
  /** Lower bound on the pre-view of its later reads (from fences, acquires, fetch rules). */
  readonly rNew: number;
  /** Lower bound on the pre-view of its later stores. */
  readonly wNew: number;
  /**
   * Lower bound on what its later device outputs (raising an interrupt) come after: only a
   * FENCE with o in its successor set orders loads and stores before them.
   */
  readonly oNew: number;
  /** Views of branch conditions, jump targets and addresses so far: later stores wait for them (ppo 11, 13). */
  readonly cap: number;
  /** Latest time of its RCsc release stores (an RCsc acquire is ordered after them: ppo 7). */
  readonly rel: number;
  /** Lower bound on the pre-view of its later fetches (FENCE.I, and ir2 under Ziccid). */
  readonly fFloor: number;
  /** Latest time of its fetches so far (for ir3f: FENCE.I ordering earlier fetches). */
  readonly fOld: number;
  /** Taint bits of the four views that can include a speculative fetch's unknown time. */
  readonly rNewT: number;
  readonly wNewT: number;
  readonly fFloorT: number;
  readonly fOldT: number;
}

/** The thread's latest store to a byte: what a later load of it is forwarded. */
export interface Fwd {
  readonly t: number;
  /** The view of the store's address and data (a forwarded load gets this, not t: ppo 12). */
  readonly view: number;
  /** Written by an AMO or SC: a load reading it is ordered after it (ppo 3), no forwarding. */
  readonly xcl: boolean;
}

/** What a thread knows of memory: its views, per-byte coherence and forwarding, its promises. */
export interface ThreadMem {
  readonly v: Views;
  /** Per byte offset: the time of the thread's latest access to it (reads and stores in coherence order). */
  readonly coh: ReadonlyMap<number, number>;
  readonly fwd: ReadonlyMap<number, Fwd>;
  /** Times of its stores promised to the timeline and not yet performed. */
  readonly promises: readonly number[];
}

export const ZERO_VIEWS: Views = Object.freeze({
  rOld: 0,
  wOld: 0,
  rNew: 0,
  wNew: 0,
  oNew: 0,
  cap: 0,
  rel: 0,
  fFloor: 0,
  fOld: 0,
  rNewT: 0,
  wNewT: 0,
  fFloorT: 0,
  fOldT: 0,
});

export const EMPTY_THREAD: ThreadMem = Object.freeze({ v: ZERO_VIEWS, coh: new Map(), fwd: new Map(), promises: Object.freeze([]) as readonly number[] });

const max = (a: number, b: number) => (a > b ? a : b);

/** The coherence floor of bytes [at, at+size): a thread's accesses to a byte are in coherence order. */
export function cohOf(tm: ThreadMem, at: number, size: number): number {
  let c = 0;
  for (let i = 0; i < size; i++) c = max(c, tm.coh.get(at + i) ?? 0);
  return c;
}

function setBytes<T>(m: ReadonlyMap<number, T>, at: number, size: number, value: T): Map<number, T> {
  const out = new Map(m);
  for (let i = 0; i < size; i++) out.set(at + i, value);
  return out;
}

/** After a data load of [at, at+size) whose post-view is `post`. */
export function afterRead(tm: ThreadMem, at: number, size: number, post: number, vaddr: number, acquire: boolean): ThreadMem {
  const v = tm.v;
  const coh = new Map(tm.coh);
  for (let i = 0; i < size; i++) coh.set(at + i, max(coh.get(at + i) ?? 0, post));
  return {
    ...tm,
    coh,
    v: {
      ...v,
      rOld: max(v.rOld, post),
      cap: max(v.cap, vaddr),
      rNew: acquire ? max(v.rNew, post) : v.rNew,
      wNew: acquire ? max(v.wNew, post) : v.wNew,
    },
  };
}

/** After a store of [at, at+size) took time t (fresh, or fulfilling a promise). */
export function afterWrite(tm: ThreadMem, at: number, size: number, t: number, vaddr: number, vdata: number, xcl: boolean, release: boolean): ThreadMem {
  const v = tm.v;
  return {
    coh: setBytes(tm.coh, at, size, t),
    fwd: setBytes(tm.fwd, at, size, { t, view: max(vaddr, vdata), xcl }),
    promises: tm.promises.includes(t) ? tm.promises.filter((p) => p !== t) : tm.promises,
    v: { ...v, wOld: max(v.wOld, t), cap: max(v.cap, vaddr), rel: release ? max(v.rel, t) : v.rel },
  };
}

/**
 * FENCE pred, succ (bits: i = 8, o = 4, r = 2, w = 1). Memory is normal memory; the only
 * device operation is raising an interrupt (an output), so o in the successor set orders
 * the predecessors before later raises, and i orders nothing. FENCE.TSO is r->rw plus w->w.
 */
export function afterFence(tm: ThreadMem, pred: number, succ: number, tso: boolean): ThreadMem {
  const v = tm.v;
  const pr = (pred & 2) !== 0;
  const pw = (pred & 1) !== 0;
  const sr = (succ & 2) !== 0;
  const sw = (succ & 1) !== 0;
  const so = (succ & 4) !== 0;
  let rNew = v.rNew;
  let wNew = v.wNew;
  let oNew = v.oNew;
  if (pr && sr) rNew = max(rNew, v.rOld);
  if (pr && sw) wNew = max(wNew, v.rOld);
  if (pw && sw) wNew = max(wNew, v.wOld);
  if (pw && sr && !tso) rNew = max(rNew, v.wOld);
  if (pr && so) oNew = max(oNew, v.rOld);
  if (pw && so) oNew = max(oNew, v.wOld);
  if (rNew === v.rNew && wNew === v.wNew && oNew === v.oNew) return tm;
  return { ...tm, v: { ...v, rNew, wNew, oNew } };
}

/**
 * A fetch's post-view `post` (tainted by `taint`) joins the views the configuration's rules
 * say it orders. The latest fetch's time is kept only where a FENCE.I orders fetches (ir3f):
 * elsewhere nothing reads it, and leaving it alone keeps states equal.
 */
export function afterFetch(tm: ThreadMem, rules: FetchRules, post: number, taint: number): ThreadMem {
  const v = tm.v;
  // Under watched rules the latest fetch is kept as ir3f keeps it, for them to ask of (watchOrdering).
  const keepsFOld = tracksLatestFetch(rules);
  const fOld = keepsFOld ? max(v.fOld, post) : v.fOld;
  const fOldT = keepsFOld ? v.fOldT | taint : v.fOldT;
  const fFloor = rules.fetchInOrder ? max(v.fFloor, post) : v.fFloor;
  const fFloorT = rules.fetchInOrder ? v.fFloorT | taint : v.fFloorT;
  const wNew = rules.fetchBeforeWrites ? max(v.wNew, post) : v.wNew;
  const wNewT = rules.fetchBeforeWrites ? v.wNewT | taint : v.wNewT;
  const rNew = rules.fetchBeforeReads ? max(v.rNew, post) : v.rNew;
  const rNewT = rules.fetchBeforeReads ? v.rNewT | taint : v.rNewT;
  if (fOld === v.fOld && fOldT === v.fOldT && fFloor === v.fFloor && fFloorT === v.fFloorT && wNew === v.wNew && wNewT === v.wNewT && rNew === v.rNew && rNewT === v.rNewT) return tm;
  return { ...tm, v: { ...v, fOld, fOldT, fFloor, fFloorT, wNew, wNewT, rNew, rNewT } };
}

/** Whether the time of the latest fetch is kept: ir3f orders by it, or a search watches a rule that would. */
function tracksLatestFetch(rules: FetchRules): boolean {
  return rules.fenceIOrdersFetches || rules.watch !== undefined;
}

/**
 * A step about to use `used` (tainted by `usedTaint`) as the bound a watched ir-decode rule
 * raises: `fetchBeforeReads` the pre-view of a load, `fetchBeforeWrites` that of a store or
 * what a release passes on. Under the rule that bound would also include every fetch so
 * far, the latest fetch's time `fOld` (its views only ever join it in, and the others are
 * the same as long as no step differed: by induction, the rule's view is max(view, fOld)).
 * Where that is more, the step would differ: noted. Taint bits outside `usedTaint` would
 * have made the step wait (pass ~0 where the step does not wait for taints).
 */
export function watchOrdering(rules: FetchRules, v: Views, rule: 'fetchBeforeReads' | 'fetchBeforeWrites', used: number, usedTaint: number): void {
  const watch = rules.watch;
  if (watch && watch.watched.has(rule) && (v.fOld > used || (v.fOldT & ~usedTaint) !== 0)) watch.bitten.add(rule);
}

/** FENCE.I: later fetches come after the earlier explicit accesses (ir3), and under ir3f after earlier fetches. */
export function afterFenceI(tm: ThreadMem, rules: FetchRules): ThreadMem {
  const v = tm.v;
  let fFloor = max(v.fFloor, max(v.rOld, v.wOld));
  let fFloorT = v.fFloorT;
  if (rules.fenceIOrdersFetches) {
    fFloor = max(fFloor, v.fOld);
    fFloorT |= v.fOldT;
  } else if (rules.watch?.watched.has('fenceIOrdersFetches') && (v.fOld > fFloor || (v.fOldT & ~fFloorT) !== 0)) {
    rules.watch.bitten.add('fenceIOrdersFetches');
  }
  return { ...tm, v: { ...v, fFloor, fFloorT } };
}

/** Later fetches come after `view` (a FENCE.I after an interrupt, where the configuration orders them so). */
export function fetchesAfter(tm: ThreadMem, view: number): ThreadMem {
  const v = tm.v;
  return v.fFloor >= view ? tm : { ...tm, v: { ...v, fFloor: view } };
}

/** An acquire of a view passed by another thread (a request loaded, an acknowledgement, a lock). */
export function acquire(tm: ThreadMem, view: number): ThreadMem {
  const v = tm.v;
  return { ...tm, v: { ...v, rOld: max(v.rOld, view), rNew: max(v.rNew, view), wNew: max(v.wNew, view) } };
}

/**
 * Taking an interrupt whose raise came after `view`: the handler's loads and stores come
 * after it. Nothing was loaded, so a FENCE.I in the handler is not anchored by it (rOld).
 */
export function delivered(tm: ThreadMem, view: number): ThreadMem {
  const v = tm.v;
  if (v.rNew >= view && v.wNew >= view) return tm;
  return { ...tm, v: { ...v, rNew: max(v.rNew, view), wNew: max(v.wNew, view) } };
}

/**
 * The view a release passes on: everything the thread did before it. With `rules`, a
 * release that passes it on (not a key's look at it), watched (watchOrdering).
 */
export function releaseView(tm: ThreadMem, rules?: FetchRules): number {
  const v = tm.v;
  const view = max(max(v.rOld, v.wOld), max(v.wNew, v.cap));
  if (rules?.watch) watchOrdering(rules, v, 'fetchBeforeWrites', view, ~0);
  return view;
}

/** The view a release would pass on under the watched ir-decode-w (watchOrdering): for keys. */
export function watchedReleaseView(tm: ThreadMem, rules: FetchRules): number {
  const view = releaseView(tm);
  return rules.watch?.watched.has('fetchBeforeWrites') ? max(view, tm.v.fOld) : view;
}

/** A speculative fetch proved right: the store it read took time t. */
export function untaint(tm: ThreadMem, bit: number, t: number): ThreadMem {
  const v = tm.v;
  const fix = (view: number, taint: number) => (taint & bit ? max(view, t) : view);
  return {
    ...tm,
    v: {
      ...v,
      rNew: fix(v.rNew, v.rNewT),
      wNew: fix(v.wNew, v.wNewT),
      fFloor: fix(v.fFloor, v.fFloorT),
      fOld: fix(v.fOld, v.fOldT),
      rNewT: v.rNewT & ~bit,
      wNewT: v.wNewT & ~bit,
      fFloorT: v.fFloorT & ~bit,
      fOldT: v.fOldT & ~bit,
    },
  };
}

/**
 * A compact text of what in a thread's memory state can still matter: part of state keys.
 * Equal texts must mean equal futures, so what cannot change any future is left out:
 *   - a coherence time matters only through the last store to that byte at or before it
 *     (a load must not read older than that store), and not at all once the thread's read
 *     floor has passed that store; with promises open it is kept as it is (fulfilling a
 *     promise compares it with the promise's time);
 *   - the time of the latest fetch matters only where FENCE.I orders fetches (ir3f), or
 *     where a search watches rules that would order by it (watchOrdering).
 */
export function threadKey(tm: ThreadMem, tl: Timeline, rules: FetchRules): string {
  const k = new IntKey();
  threadKeyInto(tm, tl, rules, k);
  return k.view().join(',');
}

/**
 * The same as ints: [the eight views rOld .. fFloor, flags (1: fOld follows, 2: the four
 * taint bits follow), fOld?, taints?, coherence entries kept, (byte, time) each, forwarded
 * bytes, (byte, time, view, exclusive) each, promises, their times].
 */
export function threadKeyInto(tm: ThreadMem, tl: Timeline, rules: FetchRules, out: IntKey): void {
  const v = tm.v;
  // The latest fetch's time joins the fetch floor at the next FENCE.I, with the other
  // views: already below them, it can never raise it.
  // Kept where it may still change a step: above what ir3f's FENCE.I joins it to, or above
  // the view a watched ir-decode rule would join it into (views only grow, so a time below
  // them stays below them).
  const keepsFOld = tracksLatestFetch(rules);
  const watched = rules.watch?.watched;
  const fOld =
    keepsFOld &&
    ((v.fOld > max(v.fFloor, max(v.rOld, v.wOld)) && (rules.fenceIOrdersFetches || watched?.has('fenceIOrdersFetches') === true)) ||
      (watched?.has('fetchBeforeWrites') === true && v.fOld > v.wNew) ||
      (watched?.has('fetchBeforeReads') === true && v.fOld > v.rNew) ||
      v.fOldT !== 0);
  const tainted = (v.rNewT | v.wNewT | v.fFloorT | v.fOldT) !== 0;
  out.push(v.rOld);
  out.push(v.wOld);
  out.push(v.rNew);
  out.push(v.wNew);
  out.push(v.oNew);
  out.push(v.cap);
  out.push(v.rel);
  out.push(v.fFloor);
  out.push((fOld ? 1 : 0) | (tainted ? 2 : 0));
  if (fOld) out.push(v.fOld);
  if (tainted) {
    out.push(v.rNewT);
    out.push(v.wNewT);
    out.push(v.fFloorT);
    out.push(keepsFOld ? v.fOldT : 0);
  }
  const exact = tm.promises.length > 0;
  const count = out.length;
  out.push(0);
  for (const [b, t] of tm.coh.size > 1 ? [...tm.coh].sort((a, b) => a[0] - b[0]) : tm.coh) {
    const c = exact ? t : lastWrite(tl, b, t);
    if (!exact && c <= lastWrite(tl, b, v.rNew)) continue;
    out.push(b);
    out.push(c);
    out.ints[count]++;
  }
  out.push(tm.fwd.size);
  for (const [b, f] of tm.fwd.size > 1 ? [...tm.fwd].sort((a, b) => a[0] - b[0]) : tm.fwd) {
    out.push(b);
    out.push(f.t);
    out.push(f.view);
    out.push(f.xcl ? 1 : 0);
  }
  out.push(tm.promises.length);
  for (const t of tm.promises) out.push(t);
}
