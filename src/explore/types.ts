// Data types of the explore stage. The explorer knows nothing of RISC-V: it walks any
// system that offers choice points, folding the events of each step into an observation.

import type { IntKey } from './visited.ts';

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
}

/** A state where a run ends, reached by a shortest run. */
export interface Terminal<S, O> {
  readonly index: number;
  readonly state: S;
  readonly observation: O;
  /** Steps of the shortest run to it. */
  readonly depth: number;
  /** Number of distinct runs ending here (null when not counted: incomplete or cyclic graph). */
  readonly runs: bigint | null;
}

export interface ExploreStats {
  readonly states: number;
  readonly transitions: number;
  readonly terminals: number;
  readonly maxDepth: number;
  /** Distinct complete runs (choice sequences); null when the graph has a cycle or the search stopped. */
  readonly executions: bigint | null;
  readonly cyclic: boolean;
  readonly seconds: number;
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
}
