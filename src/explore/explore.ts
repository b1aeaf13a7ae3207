// Exhaustive breadth-first search over every choice a system offers, with visited-state
// hashing. Breadth first, so the first run found to any state is a shortest one: that is
// the counterexample a reader wants. Edges are kept (compactly) only for a caller that asks:
// one that labels or marks the graph (liveness), or one that counts the runs.

import type { Budget, ExploreResult, Observer, Progress, System, Terminal } from './types.ts';
import { DEFAULT_BUDGET } from './types.ts';
import { Deadline, OutOfTime } from '../machine/deadline.ts';
import { IntKey, VisitedSet } from '../machine/int-tuples.ts';

/** A growable Int32Array: the search keeps per-state numbers without per-state objects. */
class IntVec {
  private a = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  get(i: number): number {
    return this.a[i];
  }
  view(): Int32Array {
    return this.a.subarray(0, this.length);
  }
}

export interface ExploreOptions<S = unknown, O = unknown, T = unknown, E = unknown> {
  readonly budget?: Partial<Budget>;
  /**
   * When the time is up, instead of `budget.maxSeconds` from the start of this search:
   * the deadline of a judgement that runs several searches, shared with the searches the
   * system runs inside its steps (which throw OutOfTime when it passes).
   */
  readonly deadline?: Deadline;
  /** Called about once a second with the search's progress, inner searches' time included. */
  readonly onProgress?: (p: Progress) => void;
  /**
   * The key of a state with its observation, when the caller knows a better one than the
   * two keys joined: one that maps symmetric states to the same key, say. Equal keys must
   * mean equal futures up to that symmetry. Written into `out` (cleared before the call).
   */
  readonly key?: (state: S, obs: O, out: IntKey) => void;
  /** A number for each step (who moved, what it read), kept with the graph for later analyses. */
  readonly label?: (transition: T, events: readonly E[]) => number;
  /** A number for each state (which properties hold there), kept with the graph. */
  readonly mark?: (state: S, obs: O) => number;
  /**
   * Partial-order reduction (System.reduced): where the system offers steps to take alone
   * and the observer finds them invisible, expand the state by those only. Never with a
   * kept graph (liveness needs every step) or counted runs (interleavings, which it leaves
   * out), and the search's choices then number a reduced expansion's steps by the system's
   * own negative numbers (its replay maps them back).
   */
  readonly reduce?: boolean;
  /**
   * Count the runs (interleavings) ending in each terminal, into `Terminal.runs` and
   * `ExploreStats.executions`: a topological sort and a sum over every edge, which needs
   * every edge kept. Off by default: the reports count outcomes, not runs.
   */
  readonly countRuns?: boolean;
  /**
   * Find the runs that never end: the states from which no run ends, where a run goes
   * round for ever (`ExploreResult.loops`). Keeps every edge (ints, a few bytes a step);
   * the reduction keeps what it needs (see findLoops).
   */
  readonly loops?: boolean;
}

export function explore<S, T, E, O>(
  system: System<S, T, E>,
  observer: Observer<O, E>,
  options: ExploreOptions<S, O, T, E> = {},
): ExploreResult<S, O> {
  // The two keys joined, then where the second starts: no two pairs of keys join alike.
  const keyOf =
    options.key ??
    ((state: S, obs: O, out: IntKey) => {
      system.keyInto(state, out);
      const at = out.length;
      observer.keyInto(obs, out);
      out.push(at);
    });
  const budget = { ...DEFAULT_BUDGET, ...options.budget };
  // The deadline's clock is the search's clock: its start, its progress, its time.
  const deadline = options.deadline ?? Deadline.in(budget.maxSeconds);
  const started = deadline.time();
  const seen = new VisitedSet();
  const key = new IntKey();
  const parent = new IntVec();
  const via = new IntVec();
  const depth = new IntVec();
  const edgeStart = new IntVec(); // edges of state i: edgeTarget[edgeStart[i] .. edgeStart[i+1])
  const edgeTarget = new IntVec();
  const keepGraph = options.label !== undefined || options.mark !== undefined;
  const keepEdges = keepGraph || options.countRuns === true || options.loops === true;
  let transitions = 0;
  const edgeLabel = new IntVec();
  const marks = new IntVec();
  const terminals: Array<Omit<Terminal<S, O>, 'runs'>> = [];
  let queue: Array<{ state: S; obs: O } | undefined> = [];
  let head = 0;

  const reduce = options.reduce === true && !keepGraph && options.countRuns !== true && system.reduced !== undefined && observer.invisible !== undefined;
  let reducedStates = 0;
  /** `keyed`: the state's key, already written (by the reduction's proviso check). */
  const discover = (state: S, obs: O, from: number, choice: number, d: number, keyed?: IntKey): number => {
    if (!keyed) {
      key.clear();
      keyOf(state, obs, key);
    }
    const known = seen.add(keyed ?? key);
    if (known >= 0) return known;
    const index = -1 - known;
    parent.push(from);
    via.push(choice);
    depth.push(d);
    if (options.mark) marks.push(options.mark(state, obs));
    queue.push({ state: system.canonical ? system.canonical(state) : state, obs });
    return index;
  };

  // The keys of the steps taken alone, written while checking the proviso (one per step;
  // usually one step).
  const aloneKeys: IntKey[] = [];
  /**
   * The steps to take alone from state `index`, with their keys, or undefined to expand it
   * fully: the system offers independent steps, the observer finds them invisible (the
   * observation stays `obs`), and none leads to a state already expanded (or to itself).
   * That last condition is the cycle proviso, in its breadth-first form: states are
   * expanded in the order found, so on every cycle the state expanded last steps to one
   * expanded before it, and expands fully; no step is put off forever around a cycle.
   */
  const takenAlone = (state: S, obs: O, index: number): Array<{ state: S; key: IntKey; choice: number }> | undefined => {
    const accept = (steps: ReadonlyArray<{ readonly state: S; readonly events: readonly E[] }>): boolean => {
      for (let k = 0; k < steps.length; k++) {
        if (!observer.invisible!(obs, steps[k].events)) return false;
        const key = (aloneKeys[k] ??= new IntKey());
        key.clear();
        keyOf(steps[k].state, obs, key);
        const known = seen.find(key);
        if (known >= 0 && known <= index) return false;
      }
      return true;
    };
    return system.reduced!(state, accept)?.map((step, k) => ({ state: step.state, key: aloneKeys[k], choice: step.choice ?? -1 - k }));
  };

  discover(system.initial(), observer.initial, -1, -1, 0);
  let stopped: 'states' | 'time' | undefined;
  let processed = 0;
  let lastReport = started;
  let [statesThen, processedThen] = [0, 0];
  let maxDepth = 0;
  const report = (now: number) => {
    if (!options.onProgress || now - lastReport <= 1000) return;
    const found = seen.size - statesThen;
    const expanded = processed - processedThen;
    const rate = (found * 1000) / (now - lastReport);
    const queued = queue.length - head;
    const r = expanded > 0 ? found / expanded : 1;
    [lastReport, statesThen, processedThen] = [now, seen.size, processed];
    const toGo = r < 1 ? Math.round((queued * r) / (1 - r)) : undefined;
    options.onProgress({ states: seen.size, depth: depth.get(Math.min(processed, depth.length - 1)), queue: queued, seconds: (now - started) / 1000, rate, toGo });
  };
  // The inner searches of a state's steps check the deadline too, and tell the time to
  // `report` as they go: a state whose certifications take seconds still moves the line.
  const unlisten = deadline.listen(report);

  try {
    while (head < queue.length) {
      if (seen.size > budget.maxStates) {
        stopped = 'states';
        break;
      }
      const { state, obs } = queue[head]!;
      let succ: ReturnType<System<S, T, E>['successors']>;
      let alone: ReturnType<typeof takenAlone>;
      try {
        // The clock, every state: one state's steps may take seconds (certification
        // searches), so a count of states says nothing of the time. Reading it costs tens
        // of nanoseconds, against microseconds for the state's steps.
        deadline.check();
        alone = reduce ? takenAlone(state, obs, processed) : undefined;
        succ = alone ? [] : system.successors(state);
      } catch (e) {
        // Out of time, before this state or inside its steps. They are not all known then,
        // so the state stays unexpanded: with steps missing it could pass for an end.
        if (!(e instanceof OutOfTime)) throw e;
        stopped = 'time';
        break;
      }
      const index = processed;
      queue[head++] = undefined; // let the state be collected
      if (head > 65536 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      processed++;
      if (keepEdges) edgeStart.push(edgeTarget.length);
      const d = depth.get(index);
      if (d > maxDepth) maxDepth = d;
      if (alone) {
        reducedStates++;
        transitions += alone.length;
        for (const step of alone) {
          const target = discover(step.state, obs, index, step.choice, d + 1, step.key);
          if (keepEdges) edgeTarget.push(target);
        }
        continue;
      }
      if (succ.length === 0) {
        terminals.push({ index, state, observation: obs, depth: d });
        continue;
      }
      transitions += succ.length;
      for (let c = 0; c < succ.length; c++) {
        const r = succ[c];
        const target = discover(r.state, observer.observe(obs, r.events), index, c, d + 1);
        if (keepEdges) edgeTarget.push(target);
        if (keepGraph) edgeLabel.push(options.label ? options.label(r.transition, r.events) : 0);
      }
    }
  } finally {
    unlisten();
  }
  if (keepEdges) edgeStart.push(edgeTarget.length);

  const complete = stopped === undefined;
  // Runs are counted only when asked, and only over a complete graph (a cut one has no count).
  const counted = options.countRuns ? (complete ? countRuns(processed, edgeStart.view(), edgeTarget.view()) : null) : undefined;
  const runsOf = (i: number) => (counted && !counted.cyclic ? counted.runs(i) : null);
  const result: ExploreResult<S, O> = {
    complete,
    ...(stopped ? { stopped } : {}),
    stats: {
      states: seen.size,
      transitions,
      terminals: terminals.length,
      maxDepth,
      ...(counted !== undefined ? { executions: counted && !counted.cyclic ? terminals.reduce((n, t) => n + counted.runs(t.index), 0n) : null } : {}),
      seconds: (deadline.time() - started) / 1000,
      reduced: reducedStates,
    },
    terminals: counted !== undefined ? terminals.map((t) => ({ ...t, runs: runsOf(t.index) })) : terminals,
    ...(options.loops && complete ? { loops: findLoops(processed, edgeStart.view(), edgeTarget.view()) } : {}),
    ...(keepGraph && complete
      ? { graph: { states: processed, start: edgeStart.view(), target: edgeTarget.view(), label: edgeLabel.view(), mark: options.mark ? marks.view() : new Int32Array(processed) } }
      : {}),
    choicesTo(i: number): number[] {
      const out: number[] = [];
      for (let at = i; parent.get(at) >= 0; at = parent.get(at)) out.push(via.get(at));
      return out.reverse();
    },
  };
  return result;
}

/**
 * Where runs go round for ever with no way to end: the bottom strongly connected
 * components of the graph that have an edge (a state with none is a terminal), each by its
 * first state (found first, breadth first: reached by a shortest run). Every run that
 * never ends stays in some component from some step on, and one that can no longer end
 * reaches a bottom one; since the observations only grow along a run, the bottom one's
 * observation contains all it saw (verdict/judge.ts takes them as outcomes).
 *
 * Under partial-order reduction the graph is the reduced one. It has the same such
 * components' worth of runs: a state from which some run ends has, in the reduced graph,
 * a run to an end (a step taken alone stays enabled and commutes with every other step,
 * so it can be put first in any run to an end), and from a state whose runs cannot all
 * end, the step put off by taking others alone is still enabled after them (the cycle
 * proviso expands fully before going round), so a state of a run that cannot end is
 * reached with the same observation (the steps taken alone are invisible).
 *
 * Tarjan's algorithm, iterative (graphs of millions of states).
 */
export function findLoops(n: number, start: Int32Array, target: Int32Array): number[] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callState = new Int32Array(n);
  const callEdge = new Int32Array(n);
  // A component is bottom when no edge leaves it: reaching a finished component from
  // outside it marks the caller's as not bottom.
  const leaves = new Uint8Array(n);
  let sp = 0;
  let counter = 0;
  const out: number[] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    let depth = 0;
    callState[0] = root;
    callEdge[0] = start[root];
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callState[depth];
      const e = callEdge[depth];
      if (e < start[v + 1]) {
        callEdge[depth]++;
        const w = target[e];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callState[++depth] = w;
          callEdge[depth] = start[w];
        } else if (onStack[w]) {
          if (index[w] < low[v]) low[v] = index[w];
        } else {
          leaves[v] = 1; // an edge to a component already closed: v's is not bottom
        }
        continue;
      }
      // v is done: close its component if it is the root of one.
      if (low[v] === index[v]) {
        let first = v;
        let exits = false;
        let size = 0;
        for (let k = sp - 1; ; k--) {
          const w = stack[k];
          if (leaves[w]) exits = true;
          if (w < first) first = w;
          size++;
          if (w === v) break;
        }
        const hasEdge = size > 1 || start[v + 1] > start[v];
        for (let k = 0; k < size; k++) onStack[stack[--sp]] = 0;
        if (!exits && hasEdge) out.push(first);
      }
      depth--;
      if (depth >= 0) {
        const u = callState[depth];
        // v's component closed (its states left the stack): the edge u -> v leaves u's.
        if (!onStack[v]) leaves[u] = 1;
        if (low[v] < low[u]) low[u] = low[v];
      }
    }
  }
  return out.sort((a, b) => a - b);
}

/**
 * Runs from the initial state to each state, in topological order (Kahn). A cycle means
 * infinitely many runs: reported as such, not counted. Counted in doubles first, and again
 * in bigints when a count passes 2^53 (runs multiply quickly with harts).
 */
function countRuns(n: number, start: Int32Array, target: Int32Array): { runs: (i: number) => bigint; cyclic: boolean } {
  const indegree = new Int32Array(n);
  for (let e = 0; e < target.length; e++) indegree[target[e]]++;
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order[tail++] = i;
  for (let done = 0; done < tail; done++) {
    const i = order[done];
    for (let e = start[i]; e < start[i + 1]; e++) if (--indegree[target[e]] === 0) order[tail++] = target[e];
  }
  if (tail < n) return { runs: () => 0n, cyclic: true };
  const approx = new Float64Array(n);
  approx[0] = 1;
  let exact = true;
  for (let k = 0; k < n && exact; k++) {
    const i = order[k];
    for (let e = start[i]; e < start[i + 1]; e++) approx[target[e]] += approx[i];
    if (approx[i] > Number.MAX_SAFE_INTEGER) exact = false;
  }
  if (exact) return { runs: (i) => BigInt(approx[i]), cyclic: false };
  const big: bigint[] = new Array(n).fill(0n);
  big[0] = 1n;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    for (let e = start[i]; e < start[i + 1]; e++) big[target[e]] += big[i];
  }
  return { runs: (i) => big[i], cyclic: false };
}
