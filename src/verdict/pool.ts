// Judging on every core: a scenario's configurations, and the scenarios of a run, are
// units of work — one (scenario, fetch configuration) pair each — that a pool of worker
// threads takes from one queue, first come first served. The main thread plans each
// scenario (verdict/judge.ts), queues its units in the plan's order, and once all of them
// are back puts the results together in that order with combineConfigs, exactly as
// judgeScenario does in one thread: the same input gives the same results, and so the
// same reports byte for byte, whatever the number of workers or the order they finish in.
//
// This thread is one of the `jobs`: it judges units here, one per turn of the event loop
// (so a caller awaiting scenario after scenario prints each one's line as it is judged),
// and starts at most `jobs - 1` worker threads, only while units wait and only once a
// search here has run long enough to report progress (a second): a thread costs about half
// a second to start and more to compile the engine again, which a run of small searches,
// however many, would only lose. `jobs: 1` starts none.
//
// The time budget stays one per scenario: its deadline starts when its first unit starts
// (not when it was queued behind others) and every unit of it stops then, on the clock all
// threads share (verdict/clock.ts); a unit started after it is incomplete, never a pass.
//
// A ScenarioError fails its scenario's promise; anything else is a bug, and fails every
// promise of the pool at once (and stops its workers), so that a run never waits for work
// that will not come. Its stack is the worker's.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Progress } from '../explore/types.ts';
import { ScenarioError, type FetchConfigName, type Scenario } from '../scenario/types.ts';
import { processClock } from './clock.ts';
import { combineConfigs, judgeUnit, planScenario, scenarioDeadline, type JudgeOptions, type JudgePlan, type UnitResult } from './judge.ts';
import type { ConfigResult, ScenarioResult } from './types.ts';
import { revive, type UnitMessage, type WorkerMessage } from './worker.ts';

/**
 * A judging thread's first module. Compiled (dist/), the worker's own entry; run from the
 * TypeScript sources (tsx, vitest), whose loader hooks a new thread does not inherit, the
 * shim that registers tsx there first.
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './worker-boot.js' : './worker-main.js', import.meta.url);

/** How many units to judge at once when nobody says: one per core the process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** What the pool is doing, for a progress line: each running unit's latest figures, and the units waiting. */
export interface PoolProgress {
  readonly running: ReadonlyArray<{ readonly scenario: string; readonly config: FetchConfigName; readonly progress: Progress }>;
  readonly waiting: number;
}

/** A unit judged: where and how long, for benchmarks (wall seconds; the heap of the thread that judged it). */
export interface UnitDone {
  readonly scenario: Scenario;
  /** The configuration searched. */
  readonly config: FetchConfigName;
  /** The others whose results the search gave too (verdict/share.ts). */
  readonly shared: readonly FetchConfigName[];
  readonly seconds: number;
  readonly heapUsed: number;
  /** Judged in this thread, or in a worker. */
  readonly thread: 'here' | 'worker';
}

export interface PoolOptions {
  /** Units judged at once: worker threads, or 1 for none (judged in this thread). Default: defaultJobs(). */
  readonly jobs?: number;
  /** Called as running units report progress (each about once a second). */
  readonly onProgress?: (p: PoolProgress) => void;
  readonly onUnit?: (u: UnitDone) => void;
  /**
   * Whether this thread judges units too (default true); false leaves them all to the
   * `jobs` workers (tests use it to be sure the workers' path is taken).
   */
  readonly here?: boolean;
}

/** What a pool's caller may ask of a judgement: what judgeScenario takes, progress aside (the pool reports it). */
export type PoolJudgeOptions = Omit<JudgeOptions, 'onProgress'>;

interface Job {
  readonly scenario: Scenario;
  readonly plan: JudgePlan;
  readonly budget: JudgeOptions['budget'];
  readonly results: ConfigResult[];
  left: number;
  /** The deadline, once its first unit started. */
  at?: number;
  settled: boolean;
  resolve(r: ScenarioResult): void;
  reject(e: unknown): void;
}

interface Unit {
  readonly id: number;
  readonly job: Job;
  /** The plan's configurations it judges: one of `plan.units`, or one a shared search could not stand for. */
  readonly configs: readonly number[];
}

interface Slot {
  readonly worker: Worker;
  /** The unit it judges; undefined: idle (or starting, until `ready`). */
  unit?: Unit;
  ready: boolean;
}

export class JudgePool {
  readonly jobs: number;
  private readonly options: PoolOptions;
  private readonly queue: Unit[] = [];
  private readonly running = new Map<number, { unit: Unit; progress?: Progress }>();
  private readonly slots: Slot[] = [];
  private nextId = 0;
  /** In-process: a unit is scheduled to run on the next turn. */
  private scheduled = false;
  /** Whether a search here has been long enough to make workers worth their start. */
  private warm = false;
  /** Set once a bug failed the pool: what it threw. */
  private failure: { readonly error: unknown } | undefined;
  private closed = false;

  constructor(options: PoolOptions = {}) {
    const jobs = options.jobs ?? defaultJobs();
    if (!Number.isSafeInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a positive integer, not ${jobs}`);
    this.jobs = jobs;
    this.options = options;
  }

  /**
   * Queues the scenario's units; resolves to its judgement, as judgeScenario's. Rejects
   * with ScenarioError for code the model does not run, as judgeScenario throws it.
   */
  judge(scenario: Scenario, options: PoolJudgeOptions = {}): Promise<ScenarioResult> {
    let job!: Job;
    const promise = new Promise<ScenarioResult>((resolve, reject) => {
      if (this.failure || this.closed) return reject(this.failure ? this.failure.error : new Error('the judging pool is closed'));
      let plan: JudgePlan;
      try {
        plan = planScenario(scenario, options);
      } catch (e) {
        return reject(e);
      }
      job = { scenario, plan, budget: options.budget, results: [], left: plan.models.length, settled: false, resolve, reject };
    });
    // Callers await scenarios in order; one that fails while an earlier one is awaited
    // must not count as unhandled meanwhile. The caller still sees the rejection.
    promise.catch(() => {});
    if (!job) return promise;
    if (job.left === 0) this.settle(job);
    for (const configs of job.plan.units) this.queue.push({ id: this.nextId++, job, configs });
    this.dispatch();
    return promise;
  }

  /** Stops the workers; judgements still pending reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abandon(new Error('the judging pool was closed before the judgement ended'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Starts what can start: waiting units on idle workers, the next unit here, workers for what is left. */
  private dispatch(): void {
    if (this.failure || this.closed) return;
    for (const slot of this.slots) {
      if (!this.queue.length) break;
      if (slot.ready && !slot.unit) this.send(slot, this.queue.shift()!);
    }
    const here = this.here();
    if (here && this.queue.length && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.runHere());
    }
    this.spawnWorkers(here ? 1 : 0);
    // An idle worker does not keep the process alive: a caller that never closes the pool can still exit.
    for (const slot of this.slots) {
      if (slot.unit || !slot.ready) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  private here(): boolean {
    return this.jobs === 1 || this.options.here !== false;
  }

  /** Starts workers for the waiting units no starting worker will take, but `reserved` of them (this thread's next). */
  private spawnWorkers(reserved: number): void {
    const here = this.here();
    if (here && !this.warm) return;
    const starting = this.slots.filter((s) => !s.ready && !s.unit).length;
    const workers = here ? this.jobs - 1 : this.jobs;
    for (let n = Math.min(this.queue.length - reserved - starting, workers - this.slots.length); n > 0; n--) this.spawn();
  }

  /** The unit's deadline: its scenario's, started by its first unit. */
  private start(unit: Unit): number {
    unit.job.at ??= scenarioDeadline(unit.job.plan);
    this.running.set(unit.id, { unit });
    return unit.job.at;
  }

  private runHere(): void {
    this.scheduled = false;
    const unit = this.queue.shift();
    if (!unit || this.failure || this.closed) return;
    const { job, configs } = unit;
    const started = processClock();
    let result: UnitResult;
    try {
      result = judgeUnit(job.scenario, job.plan, configs, { budget: job.budget, onProgress: (p) => this.progress(unit.id, p) }, this.start(unit));
    } catch (e) {
      this.failed(unit, e);
      this.dispatch();
      return;
    }
    this.done(unit, result, (processClock() - started) / 1000, process.memoryUsage().heapUsed, 'here');
    this.dispatch();
  }

  private spawn(): void {
    const worker = new Worker(WORKER_ENTRY);
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'ready') slot.ready = true;
      else {
        const unit = slot.unit;
        if (!unit || unit.id !== m.id) return;
        if (m.kind === 'progress') return this.progress(m.id, m.progress);
        slot.unit = undefined;
        if (m.kind === 'done') this.done(unit, m.result, m.seconds, m.heapUsed, 'worker');
        else this.failed(unit, revive(m.error));
      }
      this.dispatch();
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('messageerror', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`a judging worker thread stopped (exit code ${code})`));
    });
    // Its unit goes with it, before it is ready: a worker started from inside a search in
    // this thread (at its first progress report) would otherwise wait for this thread's
    // event loop, busy with that search until it ends, to be told what to do. The message
    // waits in the worker's port until it listens.
    const unit = this.queue.shift();
    if (unit) this.send(slot, unit);
  }

  private send(slot: Slot, unit: Unit): void {
    slot.unit = unit;
    const { job, configs, id } = unit;
    const m: UnitMessage = { id, scenario: job.scenario, plan: job.plan, configs, budget: job.budget, at: this.start(unit) };
    slot.worker.postMessage(m);
  }

  private progress(id: number, p: Progress): void {
    // A search here long enough to report progress: start the workers now, while it runs
    // (they boot beside it; the units waiting go to them as soon as they are ready).
    if (!this.warm) {
      this.warm = true;
      this.spawnWorkers(0);
    }
    const r = this.running.get(id);
    if (!r || !this.options.onProgress) return;
    r.progress = p;
    const running = [...this.running.values()].flatMap(({ unit, progress }) =>
      progress ? [{ scenario: unit.job.scenario.name, config: unit.job.plan.models[unit.configs[0]].fetch, progress }] : [],
    );
    this.options.onProgress({ running, waiting: this.queue.length });
  }

  private done(unit: Unit, result: UnitResult, seconds: number, heapUsed: number, thread: UnitDone['thread']): void {
    this.running.delete(unit.id);
    const { job, configs } = unit;
    const name = (k: number) => job.plan.models[k].fetch;
    this.options.onUnit?.({ scenario: job.scenario, config: name(configs[0]), shared: result.results.slice(1).map(([k]) => name(k)), seconds, heapUsed, thread });
    if (job.settled) return;
    for (const [k, r] of result.results) job.results[k] = r;
    job.left -= result.results.length;
    // Searched alone next, ahead of other scenarios' units: their scenario's deadline runs.
    this.queue.unshift(...result.unshared.map((k) => ({ id: this.nextId++, job, configs: [k] })));
    if (job.left === 0) this.settle(job);
  }

  private settle(job: Job): void {
    job.settled = true;
    try {
      job.resolve(combineConfigs(job.scenario, job.plan, job.results));
    } catch (e) {
      this.fail(e);
    }
  }

  /** A unit threw: the scenario's own error fails the scenario (its other units are dropped); anything else, the pool. */
  private failed(unit: Unit, e: unknown): void {
    this.running.delete(unit.id);
    const { job } = unit;
    if (!job.settled) {
      job.settled = true;
      job.reject(e);
    }
    if (!(e instanceof ScenarioError)) return this.fail(e);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].job === job) this.queue.splice(i, 1);
  }

  /** A bug: every judgement pending fails with it, and the workers stop. */
  private fail(e: unknown): void {
    if (this.failure || this.closed) return;
    this.failure = { error: e };
    this.abandon(e);
    for (const s of this.slots) void s.worker.terminate();
  }

  private abandon(e: unknown): void {
    const jobs = new Set([...this.queue, ...[...this.running.values()].map((r) => r.unit)].map((u) => u.job));
    this.queue.length = 0;
    this.running.clear();
    for (const job of jobs) {
      if (job.settled) continue;
      job.settled = true;
      job.reject(e);
    }
  }
}

/**
 * Judges the scenarios with `jobs` units at once; the results in the scenarios' order. The
 * pool is closed whatever happens.
 */
export async function judgeAll(scenarios: readonly Scenario[], options: PoolJudgeOptions & PoolOptions = {}): Promise<ScenarioResult[]> {
  const { jobs, onProgress, onUnit, here, ...judge } = options;
  const pool = new JudgePool({ jobs, onProgress, onUnit, here });
  try {
    const pending = scenarios.map((s) => pool.judge(s, judge));
    const out: ScenarioResult[] = [];
    for (const p of pending) out.push(await p);
    return out;
  } finally {
    await pool.close();
  }
}
