// Data types of the hw stage: a scenario as a program for a real machine (QEMU's virt
// machine, bare metal), the histogram of outcomes such a program prints, and that
// histogram held against the outcomes the model allows.

/** Where the scenario's addresses land on the machine: each moved by `delta` (mod 2^64). */
export interface Placement {
  readonly delta: bigint;
  /** The machine's RAM, from 0x80000000, that the moved code, data and stubs need (MiB). */
  readonly memoryMiB: number;
}

export interface EmitOptions {
  /** Harts the machine has: at least one per remote hart, plus the patching hart (default: exactly those). */
  readonly harts?: number;
  readonly iterations: number;
  /** The delays' random seed. */
  readonly seed?: number;
}

/** A program `patchlit emit` writes: its source files by name, and how to build and run it. */
export interface HwProgram {
  readonly scenario: string;
  readonly files: ReadonlyMap<string, string>;
  readonly harts: number;
  readonly iterations: number;
  readonly placement: Placement;
  /** The compiler's arguments after its name, from the directory holding the files. */
  readonly buildArgs: readonly string[];
  /** QEMU's arguments after its name. */
  readonly qemuArgs: readonly string[];
}

/** One line of a histogram: how many iterations ended so, and the first of them (1-based) when known. */
export interface HistogramEntry {
  readonly count: number;
  readonly outcome: string;
  readonly first?: number;
  /** The line of the histogram's text it was read from (1-based). */
  readonly line: number;
}

export interface Histogram {
  /** The scenario's name, from the header line. */
  readonly scenario?: string;
  readonly iterations?: number;
  readonly harts?: number;
  readonly entries: readonly HistogramEntry[];
  /** Iterations whose outcome the program could not keep (more distinct outcomes than it has room for). */
  readonly lost: number;
}

/** A histogram held against the model's outcomes under the configuration that describes the machine. */
export interface HwComparison {
  readonly scenario: string;
  readonly config: string;
  /** The model's outcomes, each with how often the machine showed it (0: never). */
  readonly allowed: ReadonlyArray<{ readonly outcome: string; readonly count: number }>;
  /** Outcomes the machine showed that the model does not allow. */
  readonly forbidden: readonly HistogramEntry[];
  /** The model's search ran out of budget: an outcome it did not see may still be allowed. */
  readonly modelIncomplete: boolean;
  readonly iterations: number;
}
