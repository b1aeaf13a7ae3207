// Exhaustive breadth-first search over every choice a system offers, with visited-state
// hashing. Breadth first, so the first run found to any state is a shortest one: that is
// the counterexample a reader wants. Every edge is kept (compactly) to count the runs.

import type { Budget, ExploreResult, Observer, Progress, System, Terminal } from './types.ts';
import { DEFAULT_BUDGET } from './types.ts';
import { Deadline, OutOfTime } from '../machine/deadline.ts';
import { IntKey, VisitedSet } from './visited.ts';

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
  const edgeLabel = new IntVec();
  const marks = new IntVec();
  const terminals: Array<Omit<Terminal<S, O>, 'runs'>> = [];
  let queue: Array<{ state: S; obs: O } | undefined> = [];
  let head = 0;

  const discover = (state: S, obs: O, from: number, choice: number, d: number): number => {
    key.clear();
    keyOf(state, obs, key);
    const known = seen.add(key);
    if (known >= 0) return known;
    const index = -1 - known;
    parent.push(from);
    via.push(choice);
    depth.push(d);
    if (options.mark) marks.push(options.mark(state, obs));
    queue.push({ state: system.canonical ? system.canonical(state) : state, obs });
    return index;
  };

  discover(system.initial(), observer.initial, -1, -1, 0);
  let stopped: 'states' | 'time' | undefined;
  let processed = 0;
  let lastReport = started;
  let maxDepth = 0;
  const report = (now: number) => {
    if (!options.onProgress || now - lastReport <= 1000) return;
    lastReport = now;
    options.onProgress({ states: seen.size, depth: depth.get(Math.min(processed, depth.length - 1)), queue: queue.length - head, seconds: (now - started) / 1000 });
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
      try {
        // The clock, every state: one state's steps may take seconds (certification
        // searches), so a count of states says nothing of the time. Reading it costs tens
        // of nanoseconds, against microseconds for the state's steps.
        deadline.check();
        succ = system.successors(state);
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
      edgeStart.push(edgeTarget.length);
      const d = depth.get(index);
      if (d > maxDepth) maxDepth = d;
      if (succ.length === 0) {
        terminals.push({ index, state, observation: obs, depth: d });
        continue;
      }
      for (let c = 0; c < succ.length; c++) {
        const r = succ[c];
        edgeTarget.push(discover(r.state, observer.observe(obs, r.events), index, c, d + 1));
        if (keepGraph) edgeLabel.push(options.label ? options.label(r.transition, r.events) : 0);
      }
    }
  } finally {
    unlisten();
  }
  edgeStart.push(edgeTarget.length);

  const complete = stopped === undefined;
  const counted = complete ? countRuns(processed, edgeStart.view(), edgeTarget.view()) : undefined;
  const runsOf = (i: number) => (counted && !counted.cyclic ? counted.runs(i) : null);
  const result: ExploreResult<S, O> = {
    complete,
    ...(stopped ? { stopped } : {}),
    stats: {
      states: seen.size,
      transitions: edgeTarget.length,
      terminals: terminals.length,
      maxDepth,
      executions: counted && !counted.cyclic ? terminals.reduce((n, t) => n + counted.runs(t.index), 0n) : null,
      cyclic: counted ? counted.cyclic : false,
      seconds: (deadline.time() - started) / 1000,
    },
    terminals: terminals.map((t) => ({ ...t, runs: runsOf(t.index) })),
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
