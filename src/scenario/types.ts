// Data types of the scenario stage: a scenario as its author wrote it, compiled to plain
// data: assembled code, resolved addresses, patch steps, remote harts, claims. Later
// stages read these types; nothing here knows how they are explored or judged.

/** Where something was written: 1-based line and column. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A span of memory with initial contents: code the harts may fetch, or data. */
export interface Region {
  readonly name: string;
  readonly base: bigint;
  readonly bytes: Uint8Array;
  readonly kind: 'code' | 'data';
}

/** A named address standing for a routine we do not model: reaching it records a call and returns. */
export interface Stub {
  readonly name: string;
  readonly addr: bigint;
  /** Register holding the return address (t0 for ftrace trampolines, ra for ordinary calls). */
  readonly returnReg: number;
}

/** A remote hart: runs its driver code (calls into patched functions), then idles. */
export interface RemoteHartSpec {
  readonly name: string;
  /** Where its driver code starts. */
  readonly start: bigint;
  /** Where the driver ends: reaching it, the hart idles (interrupts on), as the kernel's idle loop does. */
  readonly idleAt: bigint;
  /** Takes IPIs while running its calls; an idle hart always takes them. */
  readonly ipiWhileRunning: boolean;
}

export type PatchStep =
  | { readonly kind: 'store'; readonly addr: bigint; readonly size: 1 | 2 | 4 | 8; readonly value: bigint; readonly label: string }
  | { readonly kind: 'fence'; readonly pred: number; readonly succ: number; readonly label: string }
  | { readonly kind: 'fence.i'; readonly label: string }
  | {
      readonly kind: 'ipi';
      /** Indices of the remote harts it interrupts. */
      readonly targets: readonly number[];
      readonly action: 'fence.i';
      /** The sender waits for every target's acknowledgement before its next step. */
      readonly sync: boolean;
      readonly label: string;
    };

export interface PatcherSpec {
  readonly name: string;
  readonly steps: readonly PatchStep[];
  /** Where each step was written, for reports. */
  readonly positions: readonly SourcePos[];
}

/**
 * A trap-return fixup: when the 32-bit word at sepc, read by a data load, matches
 * (word & mask) === match, the trap returns to sepc + adjust instead of sepc.
 */
export interface TrapReturnFixup {
  readonly name: string;
  readonly mask: number;
  readonly match: number;
  readonly adjust: bigint;
}

/**
 * How instruction fetch relates to stores:
 * - window: a fetch reads memory as it was at any step since the hart's last FENCE.I
 * - coherent: a fetch reads memory as it is now
 */
export const FETCH_MODEL_NAMES = ['window', 'coherent'] as const;
export type FetchModelName = (typeof FETCH_MODEL_NAMES)[number];

export interface ModelOptions {
  readonly fetch: FetchModelName;
  /** Stores reach memory in program order, one at a time. */
  readonly stores: 'sc';
}

/** Everything the machine runs. */
export interface SystemSpec {
  readonly regions: readonly Region[];
  readonly stubs: readonly Stub[];
  readonly harts: readonly RemoteHartSpec[];
  readonly patchers: readonly PatcherSpec[];
  readonly fixups: readonly TrapReturnFixup[];
  readonly model: ModelOptions;
}

/** The ways a run can end. */
export const ENDING_KINDS = ['complete', 'deadlock', 'illegal-instruction', 'wild-jump', 'breakpoint', 'ecall', 'fault'] as const;
export type EndingKind = (typeof ENDING_KINDS)[number];

/** An instruction as an author names it in claims: its bits where it is executed. */
export interface InsnRef {
  readonly text: string;
  readonly bits: number;
  readonly length: 2 | 4;
}

/**
 * A property of a run. Over a whole run ("some hart called X"), or over one hart's part
 * of it when used to classify a hart in the interleaving table.
 */
export type Predicate =
  | { readonly kind: 'ending'; readonly ending: EndingKind | 'crash'; readonly pos: SourcePos }
  | { readonly kind: 'calls'; readonly targets: readonly string[]; readonly pos: SourcePos }
  | { readonly kind: 'no-calls'; readonly pos: SourcePos }
  | { readonly kind: 'call-outside'; readonly allowed: readonly string[]; readonly pos: SourcePos }
  | { readonly kind: 'executed'; readonly at: bigint; readonly insns: readonly InsnRef[]; readonly pos: SourcePos }
  | { readonly kind: 'not'; readonly arg: Predicate; readonly pos: SourcePos }
  | { readonly kind: 'all' | 'any'; readonly args: readonly Predicate[]; readonly pos: SourcePos };

export type Quantifier = 'never' | 'always' | 'sometimes';

export interface Claim {
  readonly quantifier: Quantifier;
  readonly predicate: Predicate;
  /** How the author wrote it, for reports: `never: {executed: [AUIPC', JALR], at: func}`. */
  readonly text: string;
  readonly because?: string;
  readonly pos: SourcePos;
}

/** A letter of a signature alphabet: an event of one hart. */
export type LetterEvent =
  | { readonly kind: 'fence.i' }
  /** The hart executes the instruction at `at` (right after one at `after`, if given). */
  | { readonly kind: 'exec'; readonly at: bigint; readonly after?: bigint };

export interface Letter {
  readonly letter: string;
  readonly event: LetterEvent;
}

export interface HartClass {
  readonly name: string;
  readonly predicate: Predicate;
  readonly pos: SourcePos;
}

/** What a row of the author's table claims about a signature. */
export type RowClaim =
  | { readonly kind: 'class'; readonly class: string }
  | { readonly kind: 'impossible'; readonly wouldBe: ReadonlyArray<{ readonly signature: string; readonly class: string }> };

export interface TableRow {
  readonly signature: string;
  readonly claim: RowClaim;
  /** The row as written. */
  readonly text: string;
  readonly pos: SourcePos;
}

/** The author's table of interleavings: per-hart signatures over their alphabet, each row classified. */
export interface SignatureTable {
  /** Remote harts (indices) whose signatures the table describes. */
  readonly harts: readonly number[];
  readonly alphabet: readonly Letter[];
  readonly classes: readonly HartClass[];
  readonly rows: readonly TableRow[];
  readonly pos: SourcePos;
}

/** A line of a code listing: one instruction or datum where it was assembled. */
export interface ListingLine {
  readonly region: string;
  readonly addr: bigint;
  readonly size: number;
  /** Instruction bits (absent for data and padding). */
  readonly bits?: number;
  readonly source: string;
  /** Where the line was written. */
  readonly pos: SourcePos;
}

export interface Budget {
  readonly maxStates?: number;
  readonly maxSeconds?: number;
}

export interface Scenario {
  readonly name: string;
  readonly description?: string;
  readonly pos: SourcePos;
  readonly system: SystemSpec;
  /** Every named address: symbols, regions, labels, stubs. For listings and annotations. */
  readonly symbols: ReadonlyMap<string, bigint>;
  readonly listing: readonly ListingLine[];
  readonly claims: readonly Claim[];
  readonly table?: SignatureTable;
  readonly budget: Budget;
}

/** An error in a scenario, at the place the author can fix it. */
export interface Diagnostic {
  readonly pos: SourcePos;
  readonly message: string;
  readonly hint?: string;
}

export class ScenarioError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.message}`).join('\n'));
  }
}

/** A fenced scenario block of a notebook, or a whole YAML file. */
export interface Block {
  readonly source: string;
  /** 0-based line of the block's first source line in the file. */
  readonly line: number;
  /** Columns the notebook indents the block by. */
  readonly indent: number;
  /** 0-based line just after the block (after its closing fence in a notebook). */
  readonly endLine: number;
}

/** A notebook (or YAML file) as read: its text, its blocks, and their compiled scenarios. */
export interface Notebook {
  readonly file: string;
  readonly text: string;
  readonly kind: 'markdown' | 'yaml';
  readonly entries: ReadonlyArray<{ readonly block: Block; readonly scenario: Scenario }>;
}
