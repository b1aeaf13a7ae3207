// Data types of the explore stage. The explorer knows nothing of RISC-V: it walks any
// system that offers choice points, folding the events of each step into an observation.

import type { IntKey } from '../machine/int-tuples.ts';

export interface System<S, T, E> {
  initial(): S;
  /** The choices offered in `s`, each with the state it leads to; none means the run ends there. */
  successors(s: S): ReadonlyArray<{ readonly transition: T; readonly state: S; readonly events: readonly E[] }>;
  /** Writes the state's key: equal keys must mean equal futures. */
  keyInto(s: S, out: IntKey): void;
  /**
   * A state equal to `s` (same key) built from parts shared with earlier states, called on
   * each new state after its key: what waits in the queue then takes little memory.
   */
  canonical?(s: S): S;
  /**
   * Partial-order reduction: some of `s`'s steps that commute with every step the others
   * can take before them (a persistent set), to be taken alone, the first such set that
   * `accept` takes (it checks what the system cannot: the observer, the cycle proviso);
   * undefined when there is none. `choice`: the negative number a run's choices give
   * such a step, for the system's replay to find it (default -1 - its place in the list).
   */
  reduced?(s: S, accept: (steps: ReadonlyArray<{ readonly transition: T; readonly state: S; readonly events: readonly E[] }>) => boolean): ReadonlyArray<{ readonly transition: T; readonly state: S; readonly events: readonly E[]; readonly choice?: number }> | undefined;
}

/**
 * What a run has shown so far, as far as the claims care: folded from events, part of
 * the explored state (two runs reaching the same machine state with different
 * observations are different states).
 */
export interface Observer<O, E> {
  readonly initial: O;
  observe(o: O, events: readonly E[]): O;
  /** Writes the observation's key. */
  keyInto(o: O, out: IntKey): void;
  /** Per-actor parts of the key, for symmetry: permuting actors permutes them (written into `out` if given). */
  actorKeys?(o: O, out?: number[]): number[];
  /** The part of the key that belongs to no actor (with actorKeys, the whole observation): a 32-bit integer. */
  sharedKey?(o: O): number;
  /**
   * Whether folding `events` into `o` changes nothing, and would change nothing whatever
   * other actors did first: what partial-order reduction asks of a step it takes alone.
   */
  invisible?(o: O, events: readonly E[]): boolean;
}

export interface Budget {
  /** Distinct states at most; beyond, the exploration stops and is incomplete. */
  readonly maxStates: number;
  /** Wall-clock seconds at most. */
  readonly maxSeconds: number;
}

/** About 2 GB of states at most, and ten minutes: beyond, the verdict is "incomplete". */
export const DEFAULT_BUDGET: Budget = { maxStates: 5_000_000, maxSeconds: 600 };

export interface Progress {
  readonly states: number;
  readonly depth: number;
  readonly queue: number;
  readonly seconds: number;
  /** States found per second since the last report (the search slows as its states grow). */
  readonly rate: number;
  /**
   * States still to be found, estimated from the queue and the share of new states among
   * the steps of the states expanded since the last report (each expansion finds r new
   * states on average: the queue drains after queue / (1 - r) more expansions); undefined
   * while r >= 1, the frontier still growing.
   */
  readonly toGo: number | undefined;
}

/** A state where a run ends, reached by a shortest run. */
export interface Terminal<S, O> {
  readonly index: number;
  readonly state: S;
  readonly observation: O;
  /** Steps of the shortest run to it. */
  readonly depth: number;
  /**
   * Number of distinct runs ending here, with `countRuns` only (null when they cannot be
   * counted: incomplete or cyclic graph).
   */
  readonly runs?: bigint | null;
}

export interface ExploreStats {
  readonly states: number;
  readonly transitions: number;
  readonly terminals: number;
  readonly maxDepth: number;
  /**
   * With `countRuns` only: distinct complete runs (choice sequences), null when the search
   * stopped or the graph has a cycle (infinitely many runs).
   */
  readonly executions?: bigint | null;
  readonly seconds: number;
  /** States expanded by one independent step alone (partial-order reduction). */
  readonly reduced: number;
}

/**
 * The explored graph, kept compactly for analyses after the search (liveness): edges of
 * state i are target[start[i] .. start[i+1]), each with the label the caller gave it, and
 * every state has the mark the caller gave it.
 */
export interface StateGraph {
  readonly states: number;
  readonly start: Int32Array;
  readonly target: Int32Array;
  readonly label: Int32Array;
  readonly mark: Int32Array;
}

export interface ExploreResult<S, O> {
  readonly complete: boolean;
  readonly stopped?: 'states' | 'time';
  readonly stats: ExploreStats;
  readonly terminals: readonly Terminal<S, O>[];
  /** The choices of the shortest run to state `index`. */
  choicesTo(index: number): number[];
  /** The graph, when the caller asked for labels or marks. */
  readonly graph?: StateGraph;
  /**
   * With `loops`, of a complete search: where runs go round for ever with no way to end,
   * one state (by index) per such place, in the order found (explore.ts findLoops).
   */
  readonly loops?: readonly number[];
}
