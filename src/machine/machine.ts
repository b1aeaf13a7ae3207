// The operational machine: states, the steps enabled in a state (its choice points) and
// their effects. Nothing here decides which step to take; the explorer does, and a run is
// just the list of its choices. The memory model is views over a timeline of stores
// (views.ts, timeline.ts), with promises (promises.ts) and speculative fetches (fetch.ts);
// which fetch rules hold comes from the configuration (model.ts), never from its name.

import { decode } from '../isa/index.ts';
import type { FinalLocation } from '../scenario/types.ts';
import { noteFuture, type Actor, type Core, type FutureValues, type Successor } from './core.ts';
import type { Deadline } from './deadline.ts';
import type { FetchSetup } from './fetch.ts';
import { hartSuccessors } from './hart.ts';
import { Independence } from './independence.ts';
import { isIdle, serviceAt } from './interrupts.ts';
import { MemoryLayout } from './memory.ts';
import { FETCH_CONFIGS, pieceBytes, watchRules, type WatchableRule } from './model.ts';
import { patcherSuccessors } from './patcher.ts';
import { PromiseEngine } from './promises.ts';
import { settleGracePeriods } from './rcu-tasks.ts';
import { IntKey, VisitedSet } from './int-tuples.ts';
import { ShardedMap } from './sharded-map.ts';
import { StepCache } from './step-cache.ts';
import { latestValue } from './timeline.ts';
import type { Ending, HartState, MachineEvent, MachineModel, MachineState, Program, ThreadMem, Timeline, Transition } from './types.ts';
import { EMPTY_THREAD, releaseView, threadKey, threadKeyInto, watchedReleaseView } from './views.ts';

export type { Successor } from './core.ts';

export interface MachineOptions {
  /**
   * Values stores may give each fetch piece (by piece start offset): what a speculative
   * fetch may guess. The judge finds them by running the machine until no store gives a
   * piece a value it did not know (verdict/judge.ts).
   */
  readonly future?: FutureValues;
  /** Harts whose final registers something looks at: their registers stay in the key when they idle. */
  readonly observedHarts?: ReadonlySet<number>;
  /**
   * Per task (remote hart index), the first task it is interchangeable with, or itself:
   * keys name a hart's task by this class, so states whose harts run swapped
   * interchangeable tasks merge. Only tasks whose observations the verdict treats as a
   * multiset may share a class (the judge passes its symmetry groups); by default each
   * task is its own class.
   */
  readonly taskClasses?: readonly number[];
  /**
   * When the judgement's time is up: a certification search still running then throws
   * OutOfTime out of `successors`, and the explorer stops (see deadline.ts).
   */
  readonly deadline?: Deadline;
  /**
   * Remote harts' steps computed once per context and applied again (step-cache.ts;
   * default true). False: every step computed in every state (the tests compare the two).
   */
  readonly stepCache?: boolean;
  /**
   * Rules of other configurations to watch (model.ts `RuleWatch`): `bitten` then says
   * which of them would have changed a step of the searches run on this machine.
   */
  readonly watch?: readonly WatchableRule[];
}

const ZERO_REGS: readonly bigint[] = Object.freeze(new Array<bigint>(32).fill(0n));
const ZERO_VIEWS: readonly number[] = Object.freeze(new Array<number>(32).fill(0));

export class Machine {
  readonly layout: MemoryLayout;
  readonly core: Core;
  private readonly promises: PromiseEngine;
  // Interning: equal component states get equal small numbers, so a state's key is short.
  // Sharded: a long search interns more distinct parts than one Map can hold.
  private readonly ids = new ShardedMap();
  /**
   * The harts' parts are interned as tuples of ints instead (no string built): each tuple
   * starts with its kind (TUPLE_*). One table numbers registers and rests, another whole
   * harts (so that hart ids, in every state key, stay small). `tuple` is the one being written.
   */
  private readonly tuples = new VisitedSet();
  private readonly hartTuples = new VisitedSet();
  private readonly tuple = new IntKey();
  private readonly threadTuple = new IntKey();
  private readonly valueIds = new Map<bigint, number>();
  /**
   * Caches on the (immutable) objects themselves, under this machine's own symbols and as
   * non-enumerable properties that spreads do not copy: a timeline's id, a thread memory's
   * key. (A WeakMap holding tens of millions of them spends its time rehashing.) A
   * ThreadMem object only ever lives in states whose timelines extend the one it was made
   * with, and its key only looks at that prefix, so its key never changes.
   */
  private readonly timelineSlot = Symbol('timeline id');
  /**
   * One hart state per hart id and task (hash-consing): the states waiting in a search
   * share them. The task is part of the hash: an id names the task by its class only, and
   * a state's observations are the tasks' own, so a hart must keep the very task it runs.
   */
  private readonly hartReps = new Map<number, HartState>();
  private readonly threadSlot = Symbol('thread key');
  /** Per patching hart, the slot of its interned key on its (immutable) state. */
  private readonly patcherSlots: readonly symbol[];
  private readonly observedHarts: ReadonlySet<number>;
  /** Tasks can be preempted and resumed elsewhere: no hart is idle for good, and a hart may run another's task. */
  readonly tasksMigrate: boolean;
  /** Some stub is a request service: harts' code can interrupt other harts and wait for them. */
  private readonly hartsRequest: boolean;
  /** Some stub is a service of any kind: harts' code can also take the locks. */
  private readonly hartServices: boolean;
  /** Per task, its class (see MachineOptions.taskClasses): interchangeable tasks get one name in keys. */
  private readonly taskRep: readonly number[];
  /** Some patching hart calls synchronize_rcu_tasks: grace periods are settled after each step, and keyed. */
  private readonly gracePeriods: boolean;
  /** Some patching hart registers or unregisters a trap handler: which are registered is part of the key. */
  private readonly toggledHandlers: boolean;
  /** Which steps commute with everything the others can do (partial-order reduction). */
  private readonly independence: Independence;
  /**
   * The steps of each actor in the state `reduced` last looked at and found no local step
   * in: `successors` of that same state (the explorer's fallback) takes them from here.
   */
  private lastLooked: { readonly state: MachineState; readonly steps: Successor[][] } | undefined;
  /** Remote harts' steps, once per context (step-cache.ts). */
  private readonly hartSteps: StepCache;

  constructor(
    readonly program: Program,
    readonly model: MachineModel,
    options: MachineOptions = {},
  ) {
    if (program.patchers.length > 3) throw new Error('at most 3 patching harts'); // hartKeys packs their waits in 3 bits
    this.layout = new MemoryLayout(program.regions, pieceBytes(model.atomicity));
    this.patcherSlots = program.patchers.map((p) => Symbol(`patcher ${p.name} key`));
    const rules = watchRules(FETCH_CONFIGS[model.fetch].rules, options.watch ?? []);
    this.observedHarts = options.observedHarts ?? new Set();
    this.tasksMigrate = program.harts.some((h) => h.preempt);
    this.taskRep = options.taskClasses ?? program.harts.map((_, i) => i);
    this.hartsRequest = program.stubs.some((st) => st.service?.kind === 'ipi' || st.service?.kind === 'sbi');
    this.hartServices = program.stubs.some((st) => st.service !== undefined);
    this.gracePeriods = program.patchers.some((p) => p.steps.some((st) => st.kind === 'rcu-tasks'));
    this.toggledHandlers = program.patchers.some((p) => p.steps.some((st) => st.kind === 'register' || st.kind === 'unregister'));
    const setup: FetchSetup = {
      layout: this.layout,
      piece: pieceBytes(model.atomicity),
      coherent: rules.coherent,
    };
    this.core = {
      program,
      model,
      rules,
      layout: this.layout,
      setup,
      // A fetch that runs ahead of the store it reads only matters if the hart can make
      // something visible before that store comes: a store of its own. Otherwise waiting
      // for the store and fetching it then is the same run. And fetches in program order
      // (Ziccid) could only wait anyway.
      speculates: !rules.coherent && !rules.fetchInOrder && mayStore(program, options.future),
      future: options.future ?? new Map(),
      pieceValues: new Map(),
      observedTasks: this.observedHarts,
    };
    this.independence = new Independence(this.core, mayStore(program, undefined));
    this.promises = new PromiseEngine(
      this.core,
      {
        steps: (s, a) => this.ownSteps(s, a),
        actorKey: (s, a) => this.actorKey(s, a),
      },
      options.deadline,
    );
    const keys = { hartId: (s: MachineState, i: number) => this.hartId(s.harts[i], i, s, !this.mayMigrate(s)), timelineId: (tl: Timeline) => this.timelineId(tl) };
    this.hartSteps = new StepCache(this.core, keys, options.stepCache !== false);
  }

  /** The class a task is named by in keys (see MachineOptions.taskClasses). */
  taskClass(task: number): number {
    return this.taskRep[task];
  }

  /** A certification search gave up: the exploration cannot be complete. */
  /** The watched rules that would have changed a step computed so far (MachineOptions.watch). */
  get bitten(): ReadonlySet<WatchableRule> {
    return this.core.rules.watch?.bitten ?? new Set();
  }

  get incomplete(): boolean {
    return this.promises.incomplete;
  }

  /** Values stores gave fetch pieces so far (the next round's speculation candidates). */
  get pieceValues(): FutureValues {
    return this.core.pieceValues;
  }

  initial(): MachineState {
    return {
      timeline: [],
      harts: this.program.harts.map((h, i) => {
        const regs = ZERO_REGS.slice();
        for (const [r, v] of h.regs ?? []) if (r !== 0) regs[r] = v;
        return {
          pc: h.start,
          regs,
          regViews: ZERO_VIEWS,
          trap: undefined,
          pending: [],
          mem: EMPTY_THREAD,
          reserved: undefined,
          speculations: [],
          task: h.spare ? -1 : i,
          timersLeft: h.timer?.count ?? 0,
          waiting: 0,
          id: undefined,
          regsId: undefined,
          restId: undefined,
        } satisfies HartState;
      }),
      patchers: this.program.patchers.map(() => ({ step: 0, waiting: 0, mem: EMPTY_THREAD, owed: 0 })),
      runq: [],
      retired: [],
      locks: (this.program.locks ?? []).map(() => ({ holder: undefined, view: 0 })),
      handlers: (this.program.traps ?? []).reduce((m, t, k) => (t.registered ? m | (1 << k) : m), 0),
      halted: undefined,
    };
  }

  /** Every step enabled in `s`, with the state it leads to. */
  successors(s: MachineState): Successor[] {
    return this.stepsByActor(s).flat();
  }

  /** Every actor's steps in `s`, in turn (none when the run has ended): `successors` is them one after the other. */
  private stepsByActor(s: MachineState): Successor[][] {
    if (s.halted) return [];
    const looked = this.lastLooked?.state === s ? this.lastLooked.steps : undefined;
    this.lastLooked = undefined;
    const out: Successor[][] = [];
    for (let a = 0; a < s.harts.length + s.patchers.length; a++) out.push(looked?.[a] ?? this.actorSteps(s, a));
    return out;
  }

  /**
   * Partial-order reduction: the steps of the first remote hart whose steps commute with
   * everything the others can do before it moves (independence.ts) and that `accept`
   * takes (the explorer checks that they change nothing a claim sees, and the cycle
   * proviso), alone; undefined when no hart's do.
   */
  reduced(s: MachineState, accept: (steps: readonly Successor[]) => boolean): Array<Successor & { choice: number }> | undefined {
    if (s.halted) return undefined;
    const steps: Successor[][] = [];
    let alone: Array<Successor & { choice: number }> | undefined;
    const H = s.harts.length;
    for (let a = 0; a < H && !alone; a++) {
      const mine = this.actorSteps(s, a);
      steps.push(mine);
      // Numbered apart from the full list's choices, naming the hart: replay finds them again.
      if (this.independence.isAmple(s, a, mine) && accept(mine)) alone = mine.map((x, k) => ({ ...x, choice: -1 - (a + H * k) }));
    }
    // Kept for `successors(s)`, should the explorer not take the step alone after all.
    this.lastLooked = { state: s, steps };
    return alone;
  }

  /** The steps of actor a in `s`: those after which it can still keep its promises, and new promises. */
  private actorSteps(s: MachineState, a: Actor): Successor[] {
    const H = s.harts.length;
    const mine: Successor[] = [];
    if (a < H) this.hartSteps.steps(s, a, mine);
    else patcherSuccessors(this.core, s, a - H, mine);
    // A thread with promises may only take steps after which it can still keep them.
    const out = mine.filter((succ) => this.promisesOf(succ.state, a).length === 0 || this.promises.certifies(succ.state, a));
    if (this.model.stores === 'rvwmo') out.push(...this.promises.promises(s, a));
    // A task passes a quiescent state in whatever step puts it there (its own, or a store
    // that confirms its speculation): each grace period is settled after every step.
    return this.gracePeriods ? out.map((succ) => settleGracePeriods(this.core, succ)) : out;
  }

  /**
   * The steps of one thread alone, as certification searches them. Grace periods are not
   * settled here: a remote hart's steps do not depend on them, and a patching hart never
   * has a promise open across one (its `rcu-tasks` step waits for none to be).
   */
  private ownSteps(s: MachineState, a: Actor): Successor[] {
    const out: Successor[] = [];
    if (a < s.harts.length) hartSuccessors(this.core, s, a, { certifying: true }, out);
    else patcherSuccessors(this.core, s, a - s.harts.length, out);
    return out;
  }

  private promisesOf(s: MachineState, a: Actor): readonly number[] {
    const H = s.harts.length;
    return a < H ? s.harts[a].mem.promises : s.patchers[a - H].mem.promises;
  }

  /**
   * A run from the initial state: each choice indexes the steps enabled at that point.
   * Never cut by the deadline: the run was found, and its choices index lists that must
   * come out whole. (On the machine that found it, its states' certifications are cached,
   * so it searches nothing; a fresh machine searches again, to the end.)
   */
  replay(choices: readonly number[]): Array<{ transition: Transition; events: readonly MachineEvent[]; state: MachineState; choice: number }> {
    return this.promises.unbounded(() => {
      let s = this.initial();
      return choices.map((c, n) => {
        // A step the search took alone (`reduced` numbers it by hart and place): the same
        // step in the full list, where a run's choices always point. That list is every
        // actor's steps in turn.
        const byActor = this.stepsByActor(s);
        let choice = c;
        if (c < 0) {
          const a = (-1 - c) % s.harts.length;
          choice = Math.floor((-1 - c) / s.harts.length);
          for (let b = 0; b < a; b++) choice += byActor[b].length;
        }
        const succ = byActor.flat();
        if (choice < 0 || choice >= succ.length) throw new Error(`replay: choice ${c} at step ${n} but ${succ.length} steps are enabled`);
        s = succ[choice].state;
        return { ...succ[choice], choice };
      });
    });
  }

  /**
   * Whether a run ending in `s` is an execution of the model: every promised store was
   * performed and every speculative fetch confirmed. Other runs are dead ends of the
   * search, not outcomes.
   */
  valid(s: MachineState): boolean {
    return s.harts.every((h) => h.mem.promises.length === 0 && h.speculations.length === 0) && s.patchers.every((p) => p.mem.promises.length === 0);
  }

  /** How a state with no enabled step ended. */
  ending(s: MachineState): Ending {
    if (s.halted) return s.halted;
    const waiting: string[] = [];
    s.patchers.forEach((p, i) => {
      const spec = this.program.patchers[i];
      if (p.waiting !== 0) {
        const who = this.program.harts.filter((_, h) => p.waiting & (1 << h)).map((h) => h.name);
        waiting.push(`${spec.name} waits for the acknowledgement of ${who.join(', ')}`);
      } else if (p.owed !== 0) {
        const who = this.program.harts.filter((_, t) => p.owed & (1 << t)).map((h) => h.name);
        waiting.push(`${spec.name} waits in synchronize_rcu_tasks for task ${who.join(', ')} to be quiescent`);
      } else if (p.step < spec.steps.length) waiting.push(`${spec.name} has steps left`);
    });
    const name = (actor: number) => (actor < this.program.harts.length ? this.program.harts[actor].name : this.program.patchers[actor - this.program.harts.length].name);
    s.harts.forEach((h, i) => {
      const service = h.trap ? undefined : serviceAt(this.core, h.pc);
      if (h.waiting !== 0) {
        const who = this.program.harts.filter((_, j) => h.waiting & (1 << j)).map((x) => x.name);
        waiting.push(`${this.program.harts[i].name} waits for the acknowledgement of ${who.join(', ')}`);
      } else if (service?.kind === 'lock' && s.locks[service.lock].holder !== undefined) {
        waiting.push(`${this.program.harts[i].name} waits for ${this.program.locks![service.lock]}, held by ${name(s.locks[service.lock].holder!)}`);
      } else if (!isIdle(this.core, s, i) || h.pending.length) waiting.push(`${this.program.harts[i].name} has not finished`);
    });
    for (const t of s.runq) waiting.push(`${this.program.harts[t.task].name}'s task was preempted and never resumed`);
    return waiting.length ? { kind: 'deadlock', detail: waiting.join('; ') } : { kind: 'complete' };
  }

  /**
   * The final value of a register or of memory bytes. A register names the task of remote
   * hart `loc.hart`: wherever that task ran last (a preempted task may end on another hart,
   * or still wait to be resumed).
   */
  finalValue(s: MachineState, loc: FinalLocation): bigint {
    if (loc.kind === 'reg') {
      const where = s.harts.find((h) => h.task === loc.hart) ?? s.runq.find((t) => t.task === loc.hart) ?? s.retired.find((t) => t.task === loc.hart) ?? s.harts[loc.hart];
      return where.regs[loc.reg];
    }
    const at = this.layout.offset(loc.addr, loc.size);
    if (at === undefined) throw new Error(`no memory at 0x${loc.addr.toString(16)}`);
    return latestValue(s.timeline, this.layout, at, loc.size);
  }

  /**
   * The same state with each hart replaced by the first hart state seen with its id, once
   * its key has been computed (equal ids, interchangeable: the key says so). Harts whose id
   * depends on the rest of the state (idle for good) are left as they are.
   */
  canonical(s: MachineState): MachineState {
    let harts: HartState[] | undefined;
    s.harts.forEach((h, i) => {
      if (h.id === undefined) return;
      const slot = h.id * (s.harts.length + 1) + h.task + 1;
      const rep = this.hartReps.get(slot);
      if (rep === undefined) this.hartReps.set(slot, h);
      else if (rep !== h) (harts ??= s.harts.slice())[i] = rep;
    });
    return harts ? { ...s, harts } : s;
  }

  /** A compact canonical key: equal keys, equal futures (the harts' parts, then the shared part). */
  keyInto(s: MachineState, out: IntKey): void {
    for (const n of this.hartKeys(s)) out.pushWide(n);
    this.sharedKey(s, out);
  }

  /** The same key as a string (for tests and messages: the search uses `keyInto`). */
  key(s: MachineState): string {
    const k = new IntKey();
    this.keyInto(s, k);
    return k.view().join(',');
  }

  /**
   * The part of the key that belongs to each remote hart: its own state, and whether each
   * patching hart waits for its acknowledgement. Permuting identical harts permutes these.
   * Written into `out` (its old contents dropped), a new array by default.
   */
  hartKeys(s: MachineState, out: number[] = []): number[] {
    out.length = 0;
    const settled = !this.mayMigrate(s);
    for (let i = 0; i < s.harts.length; i++) {
      let waitedFor = 0;
      for (let p = 0; p < s.patchers.length; p++) if (s.patchers[p].waiting & (1 << i)) waitedFor |= 1 << p;
      const k = this.hartId(s.harts[i], i, s, settled) * 8 + waitedFor;
      // Which grace periods still wait for the task it runs: it goes with the task, as the
      // acknowledgements go with the hart, so that permuting interchangeable harts (and
      // their tasks) permutes it too. Only where a scenario has grace periods, so that the
      // key's numbers keep their size elsewhere.
      out.push(this.gracePeriods ? k * 8 + this.owedTo(s, s.harts[i].task) : k);
    }
    return out;
  }

  /**
   * Whether some part of `s` names a remote hart by its index beyond that hart's own part of
   * the key: a hart waiting for others' acknowledgements, a request a hart's code raised
   * (pending, or being handled), a lock a hart holds. Sorting the harts of a symmetry group
   * in the key would then lose who waits for whom: the symmetric key keeps such states exact.
   */
  crossReferences(s: MachineState): boolean {
    // Only a hart's code calling a service makes one: without services, no state looks (on every key).
    if (!this.hartServices) return false;
    const H = s.harts.length;
    for (const h of s.harts) {
      if (h.waiting !== 0) return true;
      if (h.trap?.ipi && h.trap.ipi.sender < H) return true;
      for (const p of h.pending) if (p.sender < H) return true;
    }
    return s.locks.some((l) => l.holder !== undefined && l.holder < H);
  }

  /** The patching harts (a bit each) whose grace period waits for task t. */
  private owedTo(s: MachineState, t: number): number {
    let bits = 0;
    if (t >= 0) for (let p = 0; p < s.patchers.length; p++) if (s.patchers[p].owed & (1 << t)) bits |= 1 << p;
    return bits;
  }

  /**
   * The rest of the key: the timeline, patching harts' progress and views, how the run
   * ended. Ints, a fixed number for a machine but for the rare parts, which the shape
   * says: [timeline id, patching hart ids..., shape (run queue length + retired tasks *
   * 2^8 + 2^16 if the run ended), the run queue entries' ids..., the retired tasks' ids...,
   * (holder or -1, view) per lock, handlers (only where a step toggles them), the ending's
   * id if it ended]. The rare parts (run queue and retired entries, endings) are interned
   * strings; the common ones cost no string once interned.
   */
  sharedKey(s: MachineState, out: IntKey): void {
    out.push(this.timelineId(s.timeline));
    for (let i = 0; i < s.patchers.length; i++) out.push(this.patcherId(s.patchers[i], i, s.timeline));
    // A pinned entry (migration disabled) waits for the hart it left, named by index: the
    // task's own hart, as such a task never moves. The symmetry groups never hold that hart
    // (verdict/symmetry.ts), so sorting the harts' parts never renames it.
    if (s.runq.length > 0xff || s.retired.length > 0xff) throw new Error('at most 255 tasks');
    out.push(s.runq.length | (s.retired.length << 8) | (s.halted ? 1 << 16 : 0));
    for (const t of s.runq) {
      let regs = '';
      for (let r = 1; r < 32; r++) if (t.regs[r] !== 0n || t.regViews[r] !== 0) regs += `${r}=${this.valueId(t.regs[r])}@${t.regViews[r]} `;
      let k = `Q${this.taskRep[t.task]}@${this.valueId(t.sepc)}/${this.intern(regs)}/${t.view}${t.fixups ? 'f' : ''}${t.pinned !== undefined ? `p${t.pinned}` : ''}`;
      if (this.gracePeriods) k += `o${this.owedTo(s, t.task)}`;
      out.push(this.intern(k));
    }
    for (const t of s.retired) out.push(this.intern(`D${t.task}/${this.intern(t.regs.map((v) => this.valueId(v)).join(' '))}`));
    for (const l of s.locks) {
      out.push(l.holder ?? -1);
      out.push(l.view);
    }
    if (this.toggledHandlers) out.push(s.handlers);
    if (s.halted) out.push(this.intern('E' + endingKey(s.halted)));
  }

  /** What one thread's own steps depend on: its state and the timeline. */
  private actorKey(s: MachineState, a: Actor): string {
    const H = s.harts.length;
    const own = a < H ? `h${this.hartId(s.harts[a], a, s, !this.mayMigrate(s))}` : `p${this.patcherKey(s.patchers[a - H], a - H, s.timeline)}`;
    // A hart's own steps depend on which trap handlers are registered.
    return `${a}/${own}/${this.timelineId(s.timeline)}${this.toggledHandlers ? `H${s.handlers}` : ''}${s.halted ? '!' : ''}`;
  }

  /**
   * Whether a task may still move to another hart: one waits to be resumed, or a running
   * preemptible task may still be switched out at a timer interrupt. Until none can, an
   * idle hart may yet take one up, so its state still matters.
   */
  private mayMigrate(s: MachineState): boolean {
    if (!this.tasksMigrate) return false;
    if (s.runq.length) return true;
    return s.harts.some((h) => {
      const task = h.task >= 0 ? this.program.harts[h.task] : undefined;
      if (!task?.preempt) return false;
      if (h.trap?.cause === 'timer') return true; // may be switched out now
      return h.timersLeft > 0 && (h.trap ? h.trap.sepc : h.pc) !== task.idleAt; // still running, or returning to it
    });
  }

  /**
   * Hart i's part of the key. `settled`: no task can move between harts any more (so an
   * idle hart stays idle for good).
   */
  private hartId(h: HartState, i: number, s: MachineState, settled: boolean): number {
    const t = h.trap;
    const forgetful = this.forgetful(h, i, settled);
    if (!forgetful && h.id !== undefined) return h.id;
    const k = this.tuple;
    if (forgetful) {
      // Idle for good (or in a handler that returns to idle): it fetches and reads nothing
      // more, and no task can come to it, so only what its acknowledgements would pass on
      // matters, and that only where it is more than every patching hart has seen already
      // (their views only grow). Not cached: that depends on the patching harts and on
      // whether tasks can still move.
      // (Harts whose code can make requests are told it too: their views only grow as well.)
      this.rareParts(h, TUPLE_IDLE);
      k.push(this.passedOnBeyond(s, i, releaseView));
      // What it would pass on under a watched ir-decode-w, likewise (views.ts watchOrdering).
      const rules = this.core.rules;
      if (rules.watch?.watched.has('fetchBeforeWrites')) k.push(this.passedOnBeyond(s, i, (tm) => watchedReleaseView(tm, rules)));
      return this.internTuple(this.hartTuples);
    }
    if (h.regsId === undefined) {
      k.clear();
      k.push(TUPLE_REGS);
      for (let r = 1; r < 32; r++) {
        if (h.regs[r] === 0n && h.regViews[r] === 0) continue;
        k.push(r);
        k.push(this.valueId(h.regs[r]));
        k.push(h.regViews[r]);
      }
      h.regsId = this.internTuple(this.tuples);
    }
    if (h.restId === undefined) {
      const thread = this.threadId(h.mem, s.timeline);
      const sepc = t ? this.valueId(t.sepc) : -1;
      this.rareParts(h, TUPLE_REST);
      k.push(h.task >= 0 ? this.taskRep[h.task] : -1);
      k.push(h.timersLeft);
      k.push(h.waiting);
      k.push(sepc);
      k.push(thread);
      const rsv = h.reserved;
      if (rsv) {
        k.push(rsv.at);
        k.push(rsv.size);
        k.push(rsv.time);
        k.push(rsv.view);
      }
      h.restId = this.internTuple(this.tuples);
    }
    const pc = this.valueId(h.pc);
    k.clear();
    k.push(TUPLE_HART);
    k.push(pc);
    k.push(h.regsId);
    k.push(h.restId);
    return (h.id = this.internTuple(this.hartTuples));
  }

  /**
   * Starts the tuple of a forgetful hart (TUPLE_IDLE) or of a hart's rest (TUPLE_REST) with
   * its rare parts: its trap, requests pending, speculations, as interned strings or -1.
   */
  /**
   * What hart i's acknowledgements would pass on (`view` of its memory state), where it is
   * more than every patching hart (and every other hart whose code makes requests) has
   * seen already, or 0: their views only grow, so less is nothing new.
   */
  private passedOnBeyond(s: MachineState, i: number, view: (tm: ThreadMem) => number): number {
    const passed = view(s.harts[i].mem);
    let known = s.patchers.reduce((m, p) => Math.min(m, view(p.mem)), Infinity);
    if (this.hartsRequest) s.harts.forEach((o, j) => j !== i && (known = Math.min(known, view(o.mem))));
    return passed > known ? passed : 0;
  }

  private rareParts(h: HartState, kind: number): void {
    const t = h.trap;
    const trap = t ? this.intern(`T${t.cause}${t.ipi ? `${t.ipi.sender}.${t.ipi.step}` : ''}${t.parked ? 'p' : ''}${t.release ?? ''}${t.fixups ? 'f' : ''}`) : -1;
    const pending = h.pending.length ? this.intern(h.pending.map((p) => `P${p.kind}${p.sender}.${p.step}${p.sync ? 's' : ''}${p.mayMiss ? 'm' : ''}@${p.view}/${p.request ?? '-'}`).join('')) : -1;
    const specs = h.speculations.length ? this.intern(h.speculations.map((sp) => `S${sp.at}.${sp.size}=${sp.value}/${sp.bit}`).join('')) : -1;
    const k = this.tuple;
    k.clear();
    k.push(kind);
    k.push(trap);
    k.push(pending);
    k.push(specs);
  }

  /**
   * Whether hart i is idle for good (or in a handler that returns to idle) with registers
   * no claim reads (those of the task it ran last, or none): its key forgets them.
   */
  private forgetful(h: HartState, i: number, settled: boolean): boolean {
    const t = h.trap;
    const idleAt = h.task >= 0 ? this.program.harts[h.task].idleAt : this.program.harts[i].idleAt;
    return (
      settled &&
      (h.task < 0 ? !this.observedHarts.has(i) : !this.observedHarts.has(h.task)) &&
      (t ? t.sepc === idleAt && t.cause !== 'resume' : h.pc === idleAt) &&
      h.waiting === 0 &&
      h.mem.promises.length === 0
    );
  }

  /** The number of the tuple written in `this.tuple`, in `table`. */
  private internTuple(table: VisitedSet, tuple = this.tuple): number {
    const found = table.add(tuple);
    return found >= 0 ? found : -1 - found;
  }

  /** A patching hart's part of the key, interned: cached on its (immutable) state. */
  private patcherId(p: MachineState['patchers'][number], i: number, tl: Timeline): number {
    return cachedOn(p, this.patcherSlots[i], () => this.intern(`p${this.patcherKey(p, i, tl)}`));
  }

  /**
   * A patching hart's part of the key. Without promises open, and with no `wait` left to
   * load memory, only what its next requests and releases would pass on matters of its views.
   */
  private patcherKey(p: MachineState['patchers'][number], i: number, tl: Timeline): string {
    // Which tasks its grace period waits for is in the harts' parts of the key (hartKeys);
    // here only whether it waits for any, which is all its own steps depend on.
    const head = `${p.step}${p.waiting ? 'w' : ''}${p.owed ? 'g' : ''}:`;
    const reads = this.program.patchers[i].steps.slice(p.step).some((st) => st.kind === 'wait');
    return p.mem.promises.length || reads ? head + this.threadKey(p.mem, tl) : head + releaseView(p.mem);
  }

  private threadKey(tm: ThreadMem, tl: Timeline): string {
    return cachedOn(tm, this.threadSlot, () => threadKey(tm, tl, this.core.rules));
  }

  /** A thread memory's key as an interned tuple: computed each time (no string, and cheaper than caching it on the object). */
  private threadId(tm: ThreadMem, tl: Timeline): number {
    const k = this.threadTuple;
    k.clear();
    k.push(TUPLE_THREAD);
    threadKeyInto(tm, tl, this.core.rules, k);
    return this.internTuple(this.tuples, k);
  }

  /** One table for every interned string: their prefixes keep the kinds apart. */
  private intern(k: string): number {
    return this.ids.intern(k);
  }

  private valueId(v: bigint): number {
    let id = this.valueIds.get(v);
    if (id === undefined) this.valueIds.set(v, (id = this.valueIds.size));
    return id;
  }

  /** Who wrote a store is not part of the key: only its place, bytes and value are. */
  private timelineId(tl: Timeline): number {
    return cachedOn(tl, this.timelineSlot, () => {
      let k = 'M';
      for (const m of tl) k += `${m.at}.${m.size}=${m.value.toString(16)} `;
      return this.intern(k);
    });
  }
}

/** The kinds of interned tuples (Machine.tuples, Machine.hartTuples): a tuple's first int. */
const TUPLE_REGS = 0;
const TUPLE_REST = 1;
const TUPLE_HART = 2;
const TUPLE_IDLE = 3;
const TUPLE_THREAD = 4;

/** A value computed from an immutable object, kept on it (non-enumerable: copies do not carry it). */
function cachedOn<V>(obj: object, slot: symbol, compute: () => V): V {
  const o = obj as Record<symbol, V>;
  if (slot in o) return o[slot];
  const v = compute();
  // Frozen objects (the shared empty thread memory) are recomputed: cheap, and rare.
  if (Object.isExtensible(obj)) Object.defineProperty(obj, slot, { value: v });
  return v;
}

function endingKey(e: Ending): string {
  return JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v));
}

const STORE_OPS = /^(s[bhwd]|sc\.[wd]|amo\w+\.[wd])$/;

/**
 * Whether any hart could ever execute a store: some code halfword, or some value stores
 * may give code, starts a store, an SC or an AMO. Over-approximate on purpose.
 */
function mayStore(program: Program, future: FutureValues | undefined): boolean {
  const isStore = (word: number) => STORE_OPS.test(decode(word >>> 0).op);
  for (const r of program.regions) {
    if (r.kind !== 'code') continue;
    const b = r.bytes;
    for (let i = 0; i + 1 < b.length; i += 2) {
      const word = b[i] | (b[i + 1] << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24);
      if (isStore(word)) return true;
    }
  }
  for (const values of future?.values() ?? []) {
    // Every parcel of the value: a piece is as wide as a fetch line (line 128 and up: more than 64 bits).
    for (const v of values.keys()) for (let shift = 0n; v >> shift !== 0n; shift += 16n) if (isStore(Number((v >> shift) & 0xffffffffn))) return true;
  }
  return false;
}

/**
 * The values the patching harts' stores give fetch pieces when they run in program order:
 * the first guesses a speculative fetch may make. The judge adds whatever else a search
 * finds stores give, until nothing new turns up.
 */
export function seedFuture(program: Program, model: MachineModel): FutureValues {
  const piece = pieceBytes(model.atomicity);
  const layout = new MemoryLayout(program.regions, piece);
  const bytes = layout.initial.slice();
  const out: FutureValues = new Map();
  program.patchers.forEach((p, pi) => {
    p.steps.forEach((step, si) => {
      if (step.kind !== 'store') return;
      const at = layout.offset(step.addr, step.size);
      if (at === undefined || !layout.isCode(step.addr)) return;
      for (let i = 0; i < step.size; i++) bytes[at + i] = Number((step.value >> BigInt(8 * i)) & 0xffn);
      for (let start = at - (at % piece); start < at + step.size; start += piece) {
        let v = 0n;
        for (let i = piece - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[start + i] ?? 0);
        noteFuture(out, start, v, `p${pi}.${si}`);
      }
    });
  });
  return out;
}
