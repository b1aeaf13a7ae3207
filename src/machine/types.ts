// Data types of the machine stage: the state of the machine, the transitions between
// states (its choice points) and the events a transition produces for observers and
// reports. Its input is the system a scenario describes (scenario/types.ts).

import type { SystemSpec } from '../scenario/types.ts';

export type {
  Region,
  Stub,
  RemoteHartSpec,
  PatchStep,
  PatcherSpec,
  TrapReturnFixup,
  FetchModelName,
  ModelOptions,
} from '../scenario/types.ts';

/** What the machine runs: the system a scenario describes. */
export type Program = SystemSpec;

/** A remote hart inside its IPI handler. */
export interface TrapFrame {
  readonly sepc: bigint;
  /** The patch step (of patcher `from`) whose IPI this is. */
  readonly ipi: IpiRequest;
}

export interface IpiRequest {
  readonly patcher: number;
  readonly step: number;
}

export interface HartState {
  readonly pc: bigint;
  /** x0..x31 as unsigned 64-bit values; x0 stays 0. */
  readonly regs: readonly bigint[];
  readonly trap: TrapFrame | undefined;
  /** IPIs sent to this hart and not yet taken, oldest first. */
  readonly pending: readonly IpiRequest[];
  /**
   * The fetch window: for each memory word the hart could still fetch an older value of,
   * those older values (sorted; the current value is not repeated here). Empty after FENCE.I.
   */
  readonly stale: ReadonlyMap<number, readonly number[]>;
  /** The bytes an LR reserved and no store has touched since, if any. */
  readonly reserved: { readonly addr: bigint; readonly size: number } | undefined;
  /** Caches of the machine's interned numbers (not part of the state): the whole hart, its
   * registers, and its trap/pending/window part. `edit` in machine.ts keeps what stays valid. */
  id?: number;
  regsId?: number;
  restId?: number;
}

export interface PatcherState {
  /** Index of the next step. */
  readonly step: number;
  /** Remote harts (bit per index) whose acknowledgement a synchronous IPI still waits for. */
  readonly waiting: number;
}

/** How a run ended. */
export type Ending =
  | { readonly kind: 'complete' }
  | { readonly kind: 'deadlock'; readonly detail: string }
  | { readonly kind: 'illegal-instruction'; readonly hart: number; readonly pc: bigint; readonly bits: number }
  | { readonly kind: 'wild-jump'; readonly hart: number; readonly from: bigint; readonly to: bigint }
  | { readonly kind: 'breakpoint'; readonly hart: number; readonly pc: bigint }
  | { readonly kind: 'ecall'; readonly hart: number; readonly pc: bigint }
  | { readonly kind: 'fault'; readonly hart: number; readonly pc: bigint; readonly addr: bigint; readonly detail: string };

export type EndingKind = Ending['kind'];

export interface MachineState {
  /** Memory words, all regions laid end to end (see memory.ts for the layout). */
  readonly mem: Uint32Array;
  readonly harts: readonly HartState[];
  readonly patchers: readonly PatcherState[];
  /** Set when a hart crashed: the run ends there. */
  readonly halted: Ending | undefined;
}

/**
 * A choice the machine offers: which actor moves, and for an instruction, which of the
 * encodings its fetch window allows it to read. Taking an IPI runs the handler's entry,
 * its FENCE.I and its acknowledgement as one step (nothing can observe the hart between
 * them); the trap return, which reads the word at sepc, is a step of its own.
 */
export type Transition =
  | { readonly kind: 'exec'; readonly hart: number; readonly bits: number; readonly stale: boolean }
  | { readonly kind: 'take-ipi'; readonly hart: number }
  | { readonly kind: 'trap-return'; readonly hart: number }
  | { readonly kind: 'patch'; readonly patcher: number };

/** What happened in a transition: what observers fold and reports show. */
export type MachineEvent =
  /** An instruction executed; `latest` is what a fetch of memory as it is now would read, when that differs. */
  | { readonly kind: 'exec'; readonly hart: number; readonly pc: bigint; readonly bits: number; readonly length: 2 | 4; readonly stale: boolean; readonly latest?: number }
  | { readonly kind: 'call'; readonly hart: number; readonly stub: string; readonly site: bigint; readonly returnTo: bigint }
  | { readonly kind: 'fence.i'; readonly hart: number; readonly cause: 'instruction' | 'ipi' }
  | { readonly kind: 'trap'; readonly hart: number; readonly sepc: bigint; readonly ipi: IpiRequest }
  | { readonly kind: 'ack'; readonly hart: number; readonly ipi: IpiRequest }
  | { readonly kind: 'trap-return'; readonly hart: number; readonly sepc: bigint; readonly resume: bigint; readonly fixup: string | undefined }
  /** A store reaching memory, by a patcher or (`hart`) by a remote hart's instruction. */
  | { readonly kind: 'store'; readonly patcher?: number; readonly hart?: number; readonly addr: bigint; readonly size: number; readonly value: bigint }
  | { readonly kind: 'patch-step'; readonly patcher: number; readonly step: number; readonly label: string }
  | { readonly kind: 'ipi-sent'; readonly patcher: number; readonly targets: readonly number[]; readonly sync: boolean }
  | { readonly kind: 'crash'; readonly ending: Ending };

export interface Applied {
  readonly state: MachineState;
  readonly events: readonly MachineEvent[];
}
