// Data types of the hw stage: a scenario as a program for a real machine (QEMU's virt
// machine or a board, bare metal or under SBI firmware), the histogram of outcomes such
// a program prints, and that histogram held against the outcomes the model allows.

export type { Histogram, HistogramEntry } from '../scenario/types.ts';
export type { HwComparison } from '../verdict/types.ts';

/** Scenario addresses from `low` to `high` (inclusive) that land on the machine moved by `delta` (mod 2^64). */
export interface Cluster {
  readonly low: bigint;
  readonly high: bigint;
  readonly delta: bigint;
}

/** Where the scenario's addresses land on the machine: each cluster of its pieces moved by an amount of its own. */
export interface Placement {
  readonly clusters: readonly Cluster[];
  /** Where the machine's RAM starts (QEMU's virt machine: 0x80000000). */
  readonly ramBase: bigint;
  /** Where the scenario's pieces start: the runtime lies below. */
  readonly imageBase: bigint;
  /** The machine's RAM, from its base, that the moved code, data and stubs need (MiB). */
  readonly memoryMiB: number;
}

/** The machine a program runs on: bare metal in machine mode, or supervisor mode under SBI firmware (targets.ts). */
export type HwTarget = 'bare' | 'sbi';

export interface EmitOptions {
  /** Default: targets.ts defaultTarget. */
  readonly target?: HwTarget;
  /** Harts the machine has: at least one per remote hart, plus the patching hart (default: exactly those). */
  readonly harts?: number;
  readonly iterations: number;
  /** The delays' random seed. */
  readonly seed?: number;
  /** Where the machine's RAM starts (default QEMU's virt machine's, 0x80000000). */
  readonly ramBase?: bigint;
  /** Timebase ticks an iteration may take before the watchdog calls it endless (default 2^24: about 1.7 s at QEMU's 10 MHz). */
  readonly watchdogTicks?: number;
}

/** A program `patchlit emit` writes: its source files by name, and how to build and run it. */
export interface HwProgram {
  readonly scenario: string;
  readonly files: ReadonlyMap<string, string>;
  readonly harts: number;
  readonly iterations: number;
  readonly target: HwTarget;
  readonly placement: Placement;
  /** The compiler's arguments after its name, from the directory holding the files. */
  readonly buildArgs: readonly string[];
  /** objcopy's arguments, for a target booted as a flat image (prog.bin). */
  readonly imageArgs?: readonly string[];
  /** QEMU's arguments after its name. */
  readonly qemuArgs: readonly string[];
}
