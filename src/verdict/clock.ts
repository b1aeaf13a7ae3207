// One clock for every thread of the process, for the scenario's deadline: its
// configurations may be judged at once in worker threads (verdict/pool.ts), and each
// must stop at the same instant. performance.now() will not do as it is: it counts from
// the start of its own thread, so a worker started later reads smaller times. Both it and
// process.hrtime read the system's monotonic clock, hrtime from one origin for the whole
// process: the difference, taken once per thread, turns one into the other, and each
// reading stays as cheap as performance.now() (the searches read it at every state).

const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** Milliseconds on a monotonic clock every thread of this process reads alike. */
export function processClock(): number {
  return performance.now() + offset;
}
