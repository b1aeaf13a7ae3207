// The wall-clock budget of one judgement, shared by every search it runs: the explorer's
// breadth-first search, the promise certification searches inside each step, the
// judge's further rounds, the liveness search. One absolute deadline, handed down, rather
// than a timer per search: a search that runs many inner searches (certification runs
// thousands) would otherwise honour each inner budget and still run for hours.
//
// A search that finds the deadline passed throws OutOfTime instead of returning what it
// has. A partial answer ("no certification found in the states seen so far") is not an
// answer, and a value that is never returned can never be cached or mistaken for a final
// one; whoever started the search catches it and reports the run as incomplete for time.
//
// Generic (no RISC-V here): the explorer uses it too.

/** The deadline passed: thrown out of any search, to the one that owns the budget. */
export class OutOfTime extends Error {
  constructor() {
    super('the time budget ran out');
    this.name = 'OutOfTime';
  }
}

export class Deadline {
  private listener: ((now: number) => void) | undefined;

  /**
   * `at`: the time, by `now` (milliseconds, performance.now()'s clock by default), after
   * which every search stops.
   */
  constructor(
    readonly at: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A deadline `seconds` from now (Infinity: none). */
  static in(seconds: number, now: () => number = () => performance.now()): Deadline {
    return new Deadline(now() + seconds * 1000, now);
  }

  /**
   * Throws OutOfTime once the deadline has passed. Otherwise tells the listener the time:
   * an inner search that runs long between two states of the outer one keeps the
   * progress line moving that way. Reads the clock on each call (tens of nanoseconds, a
   * small part of any search step), so callers with very cheap loop bodies call it every
   * so many iterations instead.
   */
  check(): void {
    const t = this.now();
    if (t >= this.at) throw new OutOfTime();
    this.listener?.(t);
  }

  /** The time by this deadline's clock. */
  time(): number {
    return this.now();
  }

  /**
   * Calls `f` with the time on every check until the returned function is called (one
   * listener at a time: the search that reports progress).
   */
  listen(f: (now: number) => void): () => void {
    const before = this.listener;
    this.listener = f;
    return () => {
      this.listener = before;
    };
  }
}
