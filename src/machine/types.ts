// Data types of the machine stage: the state of the machine, the transitions between
// states (its choice points) and the events a transition produces for observers and
// reports. Its input is the system a scenario describes (scenario/types.ts).

import type { PatchStep, SystemSpec } from '../scenario/types.ts';
import type { Timeline } from './timeline.ts';
import type { ThreadMem } from './views.ts';

export type {
  Region,
  Stub,
  RemoteHartSpec,
  PatchStep,
  PatcherSpec,
  TrapReturnFixup,
  FetchConfigName,
  MachineModel,
  ModelOptions,
  Atomicity,
  TrapHandler,
  Service,
} from '../scenario/types.ts';
export type { Msg, Timeline } from './timeline.ts';
export type { ThreadMem, Views, Fwd } from './views.ts';

/** What the machine runs: the system a scenario describes. */
export type Program = SystemSpec;

/** Why a hart is in a trap. */
export type TrapCause = 'ipi' | 'sbi' | 'stop' | 'timer' | 'resume';

/** A remote hart inside an interrupt handler (or parked by stop_machine, or about to resume a task). */
export interface TrapFrame {
  readonly sepc: bigint;
  readonly cause: TrapCause;
  /** The patch step whose interrupt this is (ipi, sbi, stop). */
  readonly ipi?: IpiRequest;
  /** stop_machine: parked, waiting for the patching hart to finish. */
  readonly parked?: boolean;
  /** stop_machine: what the patching hart did before it let the parked harts go. */
  readonly release?: number;
  /** A resumed task's interrupt return: whether it applies the trap-return fixups. */
  readonly fixups?: boolean;
}

/** What raises an interrupt on other harts: a patch step, or a call of a service stub (machine/services.ts). */
export type RequestStep = Extract<PatchStep, { kind: 'ipi' | 'sbi' | 'stop' }>;

/**
 * An interrupt a hart raised on another: an IPI, the SBI call's machine-mode interrupt,
 * or stop_machine's; made by a patching hart's step or by a hart's code calling a service.
 */
export interface IpiRequest {
  readonly kind: 'ipi' | 'sbi' | 'stop';
  /** Who raised it: remote hart `sender`, or patching hart `sender - H` (H remote harts), as actors are numbered. */
  readonly sender: number;
  /** The patch step that raised it, or -1: a hart's code, through a service stub. */
  readonly step: number;
  /** What the raise was ordered after: the handler's loads and stores come after it. */
  readonly view: number;
  /** What the handler's load of the request gives it (undefined: it loads none). */
  readonly request: number | undefined;
  /** The sender waits for this hart's acknowledgement (stop_machine's: for it to arrive). */
  readonly sync: boolean;
  /**
   * The raise was not ordered after the request's queueing (an IPI without its `fence w,o`):
   * the interrupt may arrive before the request is there, and the handler find none.
   */
  readonly mayMiss: boolean;
}

/** A preempted task, waiting for a hart to resume it: its registers travel, its fetch state does not. */
export interface Preempted {
  readonly task: number;
  readonly sepc: bigint;
  readonly regs: readonly bigint[];
  readonly regViews: readonly number[];
  /** Everything the task did on its old hart (the context switch is fully ordered). */
  readonly view: number;
  readonly fixups: boolean;
  /** Preempted with migration disabled (migrate_disable()): only this hart may resume it. */
  readonly pinned?: number;
}

/** A finished task whose hart went on to run another: its final registers, kept where a claim reads them. */
export interface Retired {
  readonly task: number;
  readonly regs: readonly bigint[];
}

/** A lock (text_mutex): who holds it (an actor: a remote hart, or H + a patching hart), and what its last holder did before releasing it. */
export interface LockState {
  readonly holder: number | undefined;
  readonly view: number;
}

/**
 * A fetch that read a store not yet in the timeline: the hart ran the instruction it
 * guessed, and the run is only valid if a store makes those bytes hold `value` later.
 * Until then, views that include the fetch carry taint `bit`.
 */
export interface Speculation {
  readonly at: number;
  readonly size: number;
  readonly value: bigint;
  readonly bit: number;
}

/** An LR's reservation: the bytes, the time its read saw, and its post-view (an SC is ordered after it). */
export interface Reservation {
  readonly at: number;
  readonly size: number;
  readonly time: number;
  readonly view: number;
}

export interface HartState {
  readonly pc: bigint;
  /** x0..x31 as unsigned 64-bit values; x0 stays 0. */
  readonly regs: readonly bigint[];
  /** Per register, the view of the reads its value depends on (syntactic dependencies). */
  readonly regViews: readonly number[];
  readonly trap: TrapFrame | undefined;
  /** IPIs sent to this hart and not yet taken, oldest first. */
  readonly pending: readonly IpiRequest[];
  readonly mem: ThreadMem;
  readonly reserved: Reservation | undefined;
  readonly speculations: readonly Speculation[];
  /** The task it runs: the index of the remote hart whose driver it is, or -1 (a spare hart, or one whose task was preempted). */
  readonly task: number;
  /** Timer interrupts it may still take. */
  readonly timersLeft: number;
  /** Remote harts (bit per index) whose acknowledgement of a request its code made it still waits for: it runs no instruction until then. */
  readonly waiting: number;
  /** Caches of the machine's interned numbers (not part of the state): the whole hart, its
   * registers, and its trap/pending/views part. `edit` in machine.ts keeps what stays valid. */
  id?: number;
  regsId?: number;
  restId?: number;
}

export interface PatcherState {
  /** Index of the next step. */
  readonly step: number;
  /** Remote harts (bit per index) whose acknowledgement a synchronous IPI still waits for (each acknowledgement is acquired as it comes). */
  readonly waiting: number;
  readonly mem: ThreadMem;
  /**
   * Tasks (bit per remote hart index) that the grace period of its synchronize_rcu_tasks
   * still waits for: not quiescent when it began, and not quiescent since (rcu-tasks.ts).
   */
  readonly owed: number;
}

/**
 * How a run ended. A crash names the hart it happened on and the task that hart ran
 * (-1: none), which differ once a preempted task has moved: claims about a task's part
 * of a run follow the task, reports name both.
 */
export type Ending =
  | { readonly kind: 'complete' }
  | { readonly kind: 'deadlock'; readonly detail: string }
  | { readonly kind: 'illegal-instruction'; readonly hart: number; readonly task: number; readonly pc: bigint; readonly bits: number }
  | { readonly kind: 'wild-jump'; readonly hart: number; readonly task: number; readonly from: bigint; readonly to: bigint }
  | { readonly kind: 'breakpoint'; readonly hart: number; readonly task: number; readonly pc: bigint }
  | { readonly kind: 'ecall'; readonly hart: number; readonly task: number; readonly pc: bigint }
  | { readonly kind: 'fault'; readonly hart: number; readonly task: number; readonly pc: bigint; readonly addr: bigint; readonly detail: string };

export type EndingKind = Ending['kind'];

export interface MachineState {
  /** Every store in global memory order (promised ones included). */
  readonly timeline: Timeline;
  readonly harts: readonly HartState[];
  readonly patchers: readonly PatcherState[];
  /** Preempted tasks waiting for a hart. */
  readonly runq: readonly Preempted[];
  /** Finished tasks whose registers a claim reads, after their hart took up another task. */
  readonly retired: readonly Retired[];
  readonly locks: readonly LockState[];
  /** Trap handlers registered now: a bit per handler of the program's `traps`. */
  readonly handlers: number;
  /** Set when a hart crashed: the run ends there. */
  readonly halted: Ending | undefined;
}

/** How one read is satisfied: the snapshot of the timeline it takes, or a store yet to come. */
export type ReadChoice =
  | {
      readonly kind: 'snapshot';
      readonly time: number;
      readonly sources: readonly number[];
      readonly value: bigint;
      /** An AMO's read of memory just before the place its store promised: that store comes next. */
      readonly beforePromise?: number;
    }
  | { readonly kind: 'future'; readonly value: bigint };

/** Where a store goes: the end of the timeline, or the place of one of the thread's promises. */
export type WriteChoice = { readonly kind: 'fresh' } | { readonly kind: 'fulfil'; readonly time: number };

/**
 * A choice the machine offers: which actor moves, and how each of its reads is satisfied
 * and where its store goes. Taking an IPI runs the handler's entry (its load of the
 * request), its FENCE.I and its acknowledgement as one step; the trap return, which reads
 * the word at sepc, is a step of its own. A promise puts a thread's later store in the
 * timeline ahead of the thread (the Promising model's way to let stores overtake loads).
 */
export type Transition =
  | {
      readonly kind: 'exec';
      readonly hart: number;
      /** The fetch: one read per atomic piece the instruction's bytes fall in. */
      readonly fetch: readonly ReadChoice[];
      readonly bits: number;
      readonly load?: ReadChoice;
      readonly store?: WriteChoice;
    }
  /** `missed`: the handler found no request (it overtook its queueing). */
  | { readonly kind: 'take-ipi'; readonly hart: number; readonly pending: number; readonly missed?: boolean }
  | { readonly kind: 'take-timer'; readonly hart: number }
  | { readonly kind: 'unpark'; readonly hart: number }
  | { readonly kind: 'preempt'; readonly hart: number }
  | { readonly kind: 'pick'; readonly hart: number; readonly entry: number }
  | { readonly kind: 'trap-return'; readonly hart: number; readonly load: ReadChoice }
  | { readonly kind: 'patch'; readonly patcher: number; readonly store?: WriteChoice }
  /** A hart at a service stub performs the service (a request raised, a lock taken or released) and returns. */
  | { readonly kind: 'service'; readonly hart: number }
  | { readonly kind: 'promise'; readonly actor: number; readonly at: number; readonly size: number; readonly value: bigint };

/**
 * What happened in a transition: what observers fold and reports show. `hart` is where it
 * happened; `task`, on what a task did (its instructions, calls, the FENCE.Is of the hart
 * it runs on), is the task the hart ran then (a remote hart's index; -1 for none): a
 * preempted task resumed elsewhere keeps its identity, and claims follow it.
 */
export type MachineEvent =
  /**
   * An instruction executed. `stale`: its fetch read older code than memory holds now
   * (`latest` is what a fetch of memory as it is now would read); `future`: it read a
   * store that is not in memory yet (a speculative fetch, confirmed later); `torn`: read
   * in two pieces that memory never held together (fetch.ts).
   */
  | { readonly kind: 'exec'; readonly hart: number; readonly task: number; readonly pc: bigint; readonly bits: number; readonly length: 2 | 4; readonly stale: boolean; readonly latest?: number; readonly future?: boolean; readonly torn?: boolean }
  | { readonly kind: 'call'; readonly hart: number; readonly task: number; readonly stub: string; readonly site: bigint; readonly returnTo: bigint }
  | { readonly kind: 'fence.i'; readonly hart: number; readonly task: number; readonly cause: 'instruction' | 'ipi' | 'handler' }
  | { readonly kind: 'trap'; readonly hart: number; readonly sepc: bigint; readonly cause: TrapCause; readonly ipi?: IpiRequest }
  /** The IPI handler loaded its request (`seen`), or found none and did nothing. */
  | { readonly kind: 'request'; readonly hart: number; readonly seen: boolean }
  | { readonly kind: 'ack'; readonly hart: number; readonly ipi: IpiRequest }
  | { readonly kind: 'parked'; readonly hart: number }
  | { readonly kind: 'unparked'; readonly hart: number }
  | { readonly kind: 'preempted'; readonly hart: number; readonly task: number; readonly sepc: bigint }
  | { readonly kind: 'resumed'; readonly hart: number; readonly task: number; readonly sepc: bigint }
  /** A trap handler the scenario declares ran for an EBREAK or illegal instruction, emulating instructions as if at their pcs. */
  | { readonly kind: 'handler'; readonly hart: number; readonly name: string; readonly emulated?: ReadonlyArray<{ readonly bits: number; readonly pc: bigint }>; readonly resume: bigint }
  /** A patching hart's synchronize_rcu_tasks began a grace period: the tasks it waits for (none: it returns at once). */
  | { readonly kind: 'grace-period'; readonly patcher: number; readonly tasks: readonly number[] }
  /** A task the grace period waited for is quiescent (on `hart`, or -1: on none): the wait no longer includes it. */
  | { readonly kind: 'quiescent'; readonly patcher: number; readonly task: number; readonly hart: number }
  /** A lock taken or released, by a patching hart or (`hart`) by a hart's code through a service stub. */
  | { readonly kind: 'lock'; readonly patcher?: number; readonly hart?: number; readonly lock: string; readonly taken: boolean }
  /**
   * A return from a trap, to `resume` (sepc, or where `fixup` sent it). `mode: 'machine'`:
   * the firmware's MRET from the SBI call's interrupt. `skipped`: the return ran no fixup
   * because it is the firmware's or a resumed task's path without them, and this one would
   * have matched `word`, what memory held at sepc then (machine/fixups.ts).
   */
  | {
      readonly kind: 'trap-return';
      readonly hart: number;
      readonly sepc: bigint;
      readonly resume: bigint;
      readonly fixup: string | undefined;
      readonly mode?: 'machine';
      readonly skipped?: { readonly fixup: string; readonly word: number };
    }
  /** A store taking its place in memory (`promised`: ahead of its thread), by a patcher or (`hart`) by a remote hart's instruction. */
  | { readonly kind: 'store'; readonly patcher?: number; readonly hart?: number; readonly addr: bigint; readonly size: number; readonly value: bigint; readonly time: number; readonly promised?: boolean }
  /** A load (or the trap return's read of sepc): `stale` when memory holds a newer value. */
  | { readonly kind: 'load'; readonly hart?: number; readonly patcher?: number; readonly addr: bigint; readonly size: number; readonly value: bigint; readonly stale: boolean }
  /** A thread's store performed where it promised it. */
  | { readonly kind: 'fulfil'; readonly patcher?: number; readonly hart?: number; readonly time: number }
  /** A speculative fetch of `hart` proved right: the store it read took time `time`. */
  | { readonly kind: 'confirm'; readonly hart: number; readonly addr: bigint; readonly time: number }
  | { readonly kind: 'patch-step'; readonly patcher: number; readonly step: number; readonly label: string }
  /** Interrupts raised on `targets`: by a patching hart's step (`patcher`) or a hart's code (`hart`), as `request` says. */
  | { readonly kind: 'ipi-sent'; readonly patcher?: number; readonly hart?: number; readonly request: RequestStep; readonly targets: readonly number[]; readonly sync: boolean }
  | { readonly kind: 'crash'; readonly ending: Ending };

export interface Applied {
  readonly state: MachineState;
  readonly events: readonly MachineEvent[];
}
