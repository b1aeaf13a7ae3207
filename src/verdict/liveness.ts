// Liveness: does every fair run eventually satisfy a predicate? A run that never does is
// either finite (it ends without it: judged with the other claims) or infinite: a path
// into a cycle of states where the predicate never held. Not every cycle is a run the
// hardware can take; a cycle counts only if it is fair:
//   - every thread that is enabled all along the cycle takes a step in it (weak fairness:
//     no hart is starved by the scheduler), and every hart that can take an interrupt all
//     along it (one is pending and its interrupts are enabled) takes one: hardware delivers
//     a pending interrupt, it does not put it off forever;
//   - no load in it reads older data than memory holds (RVWMO's progress axiom: a store
//     cannot stay invisible forever), and, where the configuration says stores eventually
//     reach fetches (Ziccid), no fetch in it reads older code than memory holds;
//   - no thread keeps a promise or a speculation open all along it (each must be settled).
// A strongly connected set of such states and steps has a fair cycle exactly when every
// thread either moves in it or is disabled somewhere in it, so the search looks at
// strongly connected components (Tarjan) and builds the lasso from one.

import type { StateGraph } from '../explore/types.ts';
import type { Deadline } from '../machine/deadline.ts';

/** Edge labels: bits 0-7 the actor that moved; these flags above them. */
export const STALE_FETCH = 1 << 8;
export const STALE_LOAD = 1 << 9;
/** The step takes a pending interrupt (an IPI, the SBI call's, stop_machine's): fair on its own. */
export const TAKES_INTERRUPT = 1 << 10;
/** State marks: the state leaves a promise or a speculation open. */
export const UNSETTLED = 1 << 30;

export interface Lasso {
  /** States of the shortest run into the cycle (state 0 first), and the cycle's entry last. */
  readonly prefix: readonly number[];
  /** Choices (edge indices within each state) of the cycle, from the entry back to it. */
  readonly loopChoices: readonly number[];
}

export interface FairnessRules {
  readonly actors: number;
  /** Stale fetches cannot go on forever (Ziccid's eventual visibility). */
  readonly fetchesSeeStores: boolean;
}

/**
 * A fair cycle among the states where mark bit `bit` is clear (the predicate has not held),
 * reached by a shortest run, or undefined when every fair run reaches the predicate.
 * `pathTo` gives the states of the shortest run to a state. Throws OutOfTime when the
 * deadline passes first (its answer would otherwise say "no such cycle" of a graph it had
 * not finished looking at).
 */
export function findLasso(g: StateGraph, bit: number, rules: FairnessRules, pathTo: (state: number) => number[], deadline?: Deadline): Lasso | undefined {
  const inside = (s: number) => (g.mark[s] & (bit | UNSETTLED)) === 0;
  const usable = (e: number) => {
    const l = g.label[e];
    return (l & STALE_LOAD) === 0 && (!rules.fetchesSeeStores || (l & STALE_FETCH) === 0);
  };
  for (const comp of components(g, inside, usable, deadline)) {
    deadline?.check();
    const members = new Set(comp);
    const internal = (e: number) => usable(e) && members.has(g.target[e]);
    if (!comp.some((s) => edgesOf(g, s).some(internal))) continue; // a single state with no loop
    // Each actor must move in the loop, or the loop must pass a state where it cannot
    // (nothing to do for an actor that cannot move anywhere in the component).
    const goals: Array<(e: number) => boolean> = [];
    let fair = true;
    // Fairness classes: each actor's steps, and each actor's steps that take an interrupt.
    const classes: Array<(e: number) => boolean> = [];
    for (let a = 0; a < rules.actors; a++) {
      classes.push((e) => (g.label[e] & 0xff) === a);
      classes.push((e) => (g.label[e] & 0xff) === a && (g.label[e] & TAKES_INTERRUPT) !== 0);
    }
    for (const byA of classes) {
      const disabledAt = (s: number) => !edgesOf(g, s).some(byA);
      if (comp.some((s) => edgesOf(g, s).some((e) => internal(e) && byA(e)))) goals.push((e) => internal(e) && byA(e));
      else if (comp.every(disabledAt)) continue;
      else if (comp.some(disabledAt)) goals.push((e) => disabledAt(g.target[e]));
      else {
        fair = false;
        break;
      }
    }
    if (!fair) continue;
    const prefix = pathTo(Math.min(...comp));
    const entry = prefix[prefix.length - 1];
    return { prefix, loopChoices: fairLoop(g, entry, internal, goals, deadline) };
  }
  return undefined;
}

function edgesOf(g: StateGraph, s: number): number[] {
  const out: number[] = [];
  for (let e = g.start[s]; e < g.start[s + 1]; e++) out.push(e);
  return out;
}

/** A loop from `entry` back to it inside the component that takes, in turn, an edge satisfying each goal. */
function fairLoop(g: StateGraph, entry: number, internal: (e: number) => boolean, goals: ReadonlyArray<(e: number) => boolean>, deadline?: Deadline): number[] {
  const choices: number[] = [];
  let at = entry;
  const walk = (goal: (e: number) => boolean) => {
    // Breadth first inside the component to the first edge satisfying `goal`.
    const prev = new Map<number, number>([[at, -1]]);
    const queue = [at];
    for (let q = 0; q < queue.length; q++) {
      if ((q & 4095) === 4095) deadline?.check();
      const s = queue[q];
      for (let e = g.start[s]; e < g.start[s + 1]; e++) {
        if (!internal(e)) continue;
        if (goal(e)) {
          const path: number[] = [e];
          for (let x = s; prev.get(x)! >= 0; ) {
            const pe = prev.get(x)!;
            path.push(pe);
            x = sourceOf(g, pe);
          }
          path.reverse();
          for (const pe of path) choices.push(pe - g.start[sourceOf(g, pe)]);
          at = g.target[e];
          return;
        }
        const t = g.target[e];
        if (!prev.has(t)) {
          prev.set(t, e);
          queue.push(t);
        }
      }
    }
    throw new Error('liveness: the component is not strongly connected');
  };
  for (const goal of goals) walk(goal);
  if (at !== entry || choices.length === 0) walk((e) => g.target[e] === entry);
  return choices;
}

function sourceOf(g: StateGraph, e: number): number {
  // Binary search: start is sorted.
  let lo = 0;
  let hi = g.states - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.start[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Strongly connected components of the states `inside` over the edges `usable`, iteratively (Tarjan). */
function components(g: StateGraph, inside: (s: number) => boolean, usable: (e: number) => boolean, deadline?: Deadline): number[][] {
  const index = new Int32Array(g.states).fill(-1);
  const low = new Int32Array(g.states);
  const onStack = new Uint8Array(g.states);
  const stack: number[] = [];
  const out: number[][] = [];
  let next = 0;
  let steps = 0;
  for (let root = 0; root < g.states; root++) {
    if (index[root] >= 0 || !inside(root)) continue;
    const work: Array<{ s: number; e: number }> = [{ s: root, e: g.start[root] }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      // Each step is a few array reads: the clock every 4096 of them.
      if ((++steps & 4095) === 0) deadline?.check();
      const top = work[work.length - 1];
      if (top.e < g.start[top.s + 1]) {
        const e = top.e++;
        const t = g.target[e];
        if (!usable(e) || !inside(t)) continue;
        if (index[t] < 0) {
          index[t] = low[t] = next++;
          stack.push(t);
          onStack[t] = 1;
          work.push({ s: t, e: g.start[t] });
        } else if (onStack[t]) low[top.s] = Math.min(low[top.s], index[t]);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1].s] = Math.min(low[work[work.length - 1].s], low[top.s]);
      if (low[top.s] === index[top.s]) {
        const comp: number[] = [];
        let x: number;
        do {
          x = stack.pop()!;
          onStack[x] = 0;
          comp.push(x);
        } while (x !== top.s);
        out.push(comp);
      }
    }
  }
  return out;
}
