// Promises: how a store overtakes the loads and fetches before it (load buffering, and
// stores reordered with each other). As in the Promising model, a thread may put one of
// its later stores into the timeline ahead of itself, if it can then go on alone and
// perform every store it promised ("certification", a search of the thread's own
// steps over the timeline as it is). Certifying against the present timeline is what
// keeps values from appearing out of thin air.
//
// Promising a store that is the thread's very next step changes nothing (performing it
// now puts it at the same place), so only stores with some step of the thread before
// them are offered.

import { decode } from '../isa/index.ts';
import { appendStore, Draft, editHart, type Actor, type Core, type Successor } from './core.ts';
import type { Deadline } from './deadline.ts';
import type { MachineState } from './types.ts';

interface Store {
  readonly at: number;
  readonly size: number;
  readonly value: bigint;
}

export interface PromiseHooks {
  /** The thread's own steps: no interrupts, no speculative fetches, no promises. */
  steps(s: MachineState, actor: Actor): Successor[];
  /** A key of everything the thread's own steps depend on: its state and the timeline. */
  actorKey(s: MachineState, actor: Actor): string;
}

/** States one certification search may visit; beyond, the search gives up and the exploration is incomplete. */
const SEARCH_LIMIT = 20_000;

export class PromiseEngine {
  /** A search gave up: promises may be missing, so no verdict may rest on this exploration. */
  incomplete = false;
  private readonly certified = new Map<string, boolean>();
  private readonly candidates = new Map<string, Store[]>();

  /**
   * The judgement's deadline: a search still running when it passes throws OutOfTime (the
   * whole exploration is then incomplete for time). Unset while replaying a run found
   * already (`unbounded`), which must give the same choices however long it takes.
   */
  private deadline: Deadline | undefined;

  constructor(
    private readonly core: Core,
    private readonly hooks: PromiseHooks,
    deadline?: Deadline,
  ) {
    this.deadline = deadline;
  }

  /** `f` with no deadline: every search it runs goes to its end. */
  unbounded<T>(f: () => T): T {
    const d = this.deadline;
    this.deadline = undefined;
    try {
      return f();
    } finally {
      this.deadline = d;
    }
  }

  private promisesOf(s: MachineState, a: Actor): readonly number[] {
    const H = s.harts.length;
    return a < H ? s.harts[a].mem.promises : s.patchers[a - H].mem.promises;
  }

  /**
   * Can `a`, running alone from `s`, perform every store it has promised? Answers are
   * cached by `a`'s key: only answers of searches that ended. A search the deadline cuts
   * throws before anything is cached, so a "no" that only means "not yet" is never kept.
   */
  certifies(s: MachineState, a: Actor): boolean {
    if (this.promisesOf(s, a).length === 0) return true;
    const key = this.hooks.actorKey(s, a);
    const known = this.certified.get(key);
    if (known !== undefined) return known;
    let found = false;
    this.search(s, a, (x) => (found = this.promisesOf(x, a).length === 0));
    this.certified.set(key, found);
    return found;
  }

  /** The promise steps `a` can take in `s` (cached as `certifies` is, for the same reason). */
  promises(s: MachineState, a: Actor): Successor[] {
    const key = this.hooks.actorKey(s, a);
    let stores = this.candidates.get(key);
    if (!stores) {
      stores = this.reachableStores(s, a).filter((c) => this.certifies(this.promise(s, a, c).state, a));
      this.candidates.set(key, stores);
    }
    return stores.map((c) => this.promise(s, a, c));
  }

  private promise(s: MachineState, a: Actor, c: Store): Successor {
    const d = new Draft(s);
    const t = appendStore(this.core, d, a, c.at, c.size, c.value);
    const H = s.harts.length;
    const addr = this.core.layout.addressOf(c.at);
    if (a < H) {
      const h = d.harts[a];
      d.setHart(a, editHart(h, { mem: { ...h.mem, promises: [...h.mem.promises, t] } }));
      d.events.unshift({ kind: 'store', hart: a, addr, size: c.size, value: c.value, time: t, promised: true });
    } else {
      const p = d.patchers[a - H];
      d.setPatcher(a - H, { ...p, mem: { ...p.mem, promises: [...p.mem.promises, t] } });
      d.events.unshift({ kind: 'store', patcher: a - H, addr, size: c.size, value: c.value, time: t, promised: true });
    }
    return d.freeze({ kind: 'promise', actor: a, at: c.at, size: c.size, value: c.value });
  }

  /** Stores (plain or AMO) `a` performs on some run of its own, after at least one other step. */
  private reachableStores(s: MachineState, a: Actor): Store[] {
    const out = new Map<string, Store>();
    const H = s.harts.length;
    this.search(s, a, () => false, (succ, depth) => {
      if (depth === 0) return;
      const t = succ.transition;
      if (t.kind === 'exec' && /^sc\./.test(decode(t.bits).op)) return; // an SC's store waits for its reservation: never promised
      for (const e of succ.events) {
        if (e.kind !== 'store' || e.promised) continue;
        if ((a < H && e.hart === a) || (a >= H && e.patcher === a - H)) {
          const at = this.core.layout.offset(e.addr, e.size)!;
          out.set(`${at}:${e.size}:${e.value}`, { at, size: e.size, value: e.value });
        }
      }
    });
    return [...out.values()];
  }

  /**
   * Depth-first over `a`'s own steps from `s`: `edge` sees every step with the number of
   * steps before it; `goal` every state reached, and true stops the search. Past the
   * deadline it throws OutOfTime: it checks the clock before each state's steps, which
   * cost far more than reading it (a thread whose every step stores, as a spin loop on
   * an AMO does, has a longer timeline at each state, and its steps get dearer with it).
   */
  private search(s: MachineState, a: Actor, goal: (x: MachineState) => boolean, edge?: (succ: Successor, depth: number) => void): void {
    if (goal(s)) return;
    const seen = new Set<string>([this.hooks.actorKey(s, a)]);
    const stack: Array<{ state: MachineState; depth: number }> = [{ state: s, depth: 0 }];
    while (stack.length) {
      const { state, depth } = stack.pop()!;
      if (state.halted) continue;
      this.deadline?.check();
      for (const succ of this.hooks.steps(state, a)) {
        edge?.(succ, depth);
        if (goal(succ.state)) return;
        const k = this.hooks.actorKey(succ.state, a);
        if (seen.has(k)) continue;
        if (seen.size >= SEARCH_LIMIT) {
          this.incomplete = true;
          return;
        }
        seen.add(k);
        stack.push({ state: succ.state, depth: depth + 1 });
      }
    }
  }
}
