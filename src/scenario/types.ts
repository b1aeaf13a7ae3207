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
  /** A hart running here has its (supervisor) interrupts masked: IPIs, timers and stop_machine wait. */
  readonly interruptsMasked?: boolean;
}

/** A named address standing for a routine we do not model: reaching it records a call and returns. */
export interface Stub {
  readonly name: string;
  readonly addr: bigint;
  /** Register holding the return address (t0 for ftrace trampolines, ra for ordinary calls). */
  readonly returnReg: number;
  /**
   * A kernel service the routine performs before it returns (flush_icache_all's IPI, the
   * SBI call, mutex_lock): the same action the patch step of that kind performs, made by
   * the hart that calls it. A call waits there as the step would (for acknowledgements, a
   * lock held by another).
   */
  readonly service?: Service;
}

/** What a service stub does: one of the patch steps that talk to other harts or take locks. */
export type Service = Extract<PatchStep, { kind: 'ipi' | 'sbi' | 'lock' | 'unlock' }>;

/** A remote hart: runs its driver code (calls into patched functions), then idles. */
export interface RemoteHartSpec {
  readonly name: string;
  /** Where its driver code starts. */
  readonly start: bigint;
  /** Where the driver ends: reaching it, the hart idles (interrupts on), as the kernel's idle loop does. */
  readonly idleAt: bigint;
  /** Takes IPIs while running its calls; an idle hart always takes them. */
  readonly ipiWhileRunning: boolean;
  /**
   * Its code is a driver of calls (`calls:`), not the scenario's own code (`run:`): between
   * two calls its task can be scheduled out even when it is not preemptible.
   */
  readonly driver?: boolean;
  /** Registers that do not start at zero (a litmus test's initial state), by number. */
  readonly regs?: ReadonlyMap<number, bigint>;
  /** Spontaneous (timer) interrupts it may take, at most `count`, and whether their handler runs FENCE.I. */
  readonly timer?: { readonly count: number; readonly fenceI: boolean };
  /**
   * At a timer interrupt its task may be preempted and resumed later on any idle hart: the
   * registers travel, the fetch state does not. `fixups`: the resumed task's return from the
   * interrupt applies the scenario's trap-return fixups. `migrate: false`: it resumes only
   * on the hart it was preempted on (migrate_disable(): preemptible, not migratable).
   */
  readonly preempt?: { readonly fixups: boolean; readonly migrate: boolean };
  /** A spare hart: no task of its own; it idles, takes interrupts and runs preempted tasks. */
  readonly spare?: boolean;
}

export type PatchStep =
  | {
      readonly kind: 'store';
      readonly addr: bigint;
      readonly size: 1 | 2 | 4 | 8;
      readonly value: bigint;
      readonly label: string;
      /** A store of an instruction (`insn:`): its name as written and the assembly it came from, for the report's listing. */
      readonly insn?: { readonly name: string; readonly source: string };
      /** One of the poison stores of a `free` (what it frees, as written): memory reused, not a code patch. */
      readonly freed?: string;
    }
  /** FENCE pred, succ; `tso`: FENCE.TSO (rw,rw without ordering stores before later loads). */
  | { readonly kind: 'fence'; readonly pred: number; readonly succ: number; readonly tso?: boolean; readonly label: string }
  /** The patching hart's own FENCE.I (it fetches no patched code, so it orders nothing it could see). */
  | { readonly kind: 'fence.i'; readonly label: string }
  | {
      /**
       * A remote fence.i through an IPI, as the kernel sends one: queue a request (a fully
       * ordered atomic), `fence w,o`, raise the interrupt. The handler loads the request
       * (`handler: request`) or not (`bare`), runs FENCE.I, acknowledges.
       */
      readonly kind: 'ipi';
      /** Indices of the remote harts it interrupts (a hart that sends one never interrupts itself). */
      readonly targets: readonly number[];
      readonly action: 'fence.i';
      /** The sender waits for every target's acknowledgement before its next step. */
      readonly sync: boolean;
      readonly handler: 'request' | 'bare';
      /** A `fence w,o` before the raise (Linux's, in its IPI path): without it, only the sender's own fences order its stores before the interrupt. */
      readonly fence: boolean;
      /**
       * How the request is queued: `ordered` with a fully ordered atomic (Linux's llist_add),
       * so a handler that loads it has seen everything the sender did; `relaxed` with a plain
       * store, which carries nothing of the sender's earlier stores.
       */
      readonly queue: 'ordered' | 'relaxed';
      readonly label: string;
    }
  | {
      /**
       * The SBI remote fence.i call: the firmware interrupts the targets in machine mode
       * (masked supervisor interrupts do not stop it) and they run FENCE.I. `completion`:
       * the call returns once the request is sent, or once every target has completed it;
       * `ordered`: the firmware orders the caller's earlier stores before the remote FENCE.I
       * (else only a `fence w,o` before the call does).
       */
      readonly kind: 'sbi';
      readonly targets: readonly number[];
      readonly completion: 'sent' | 'completed';
      readonly ordered: boolean;
      readonly label: string;
    }
  /** stop_machine begins: every other hart parks at an instruction boundary with interrupts enabled; this step waits until all have. */
  | { readonly kind: 'stop'; readonly label: string }
  /** stop_machine ends: every parked hart runs FENCE.I and resumes. */
  | { readonly kind: 'restart'; readonly label: string }
  /** Poll memory (loads with acquire) until it holds `value`. */
  | { readonly kind: 'wait'; readonly addr: bigint; readonly size: 1 | 2 | 4 | 8; readonly value: bigint; readonly label: string }
  /** A lock between patching harts (text_mutex): acquire, or release. */
  | { readonly kind: 'lock' | 'unlock'; readonly lock: number; readonly label: string }
  /**
   * synchronize_rcu_tasks() begins: a grace period, which waits for every task that is not
   * in a quiescent state now (machine/rcu-tasks.ts says which are).
   */
  | { readonly kind: 'rcu-tasks'; readonly label: string }
  /** synchronize_rcu_tasks() returns: taken only once every task it waits for has been quiescent since it began. */
  | { readonly kind: 'rcu-tasks-wait'; readonly label: string }
  /** A trap handler (by index in `traps`) is registered or unregistered: traps from now on find it, or not. */
  | { readonly kind: 'register' | 'unregister'; readonly handler: number; readonly label: string };

export interface PatcherSpec {
  readonly name: string;
  readonly steps: readonly PatchStep[];
  /** Where each step was written, for reports. */
  readonly positions: readonly SourcePos[];
}

/**
 * The traps whose return a trap-return fixup may be restricted to (`on:`): the kernel's
 * returns from an IPI, a timer interrupt, stop_machine's parking, and a preempted task's
 * return on the hart that resumes it. The SBI call's interrupt is not among them: the
 * firmware takes it in machine mode and returns from it with MRET, never through the
 * kernel's return path.
 */
export const FIXUP_CAUSES = ['ipi', 'timer', 'stop', 'resume'] as const;
export type FixupCause = (typeof FIXUP_CAUSES)[number];

/** Addresses [start, end): END not included, as a section's __start/__stop symbols bound it. */
export interface AddressRange {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * A trap-return fixup: when the 32-bit word at sepc, read by a data load, matches
 * (word & mask) === match, the trap returns to sepc + adjust instead of sepc. A kernel
 * restricts such a fixup to the entries it patches and to the returns it handles: `at`
 * and `ranges` (sepc at one of these addresses or in one of these ranges; both absent:
 * anywhere), `on` (the causes whose return runs it; absent: every one the kernel returns
 * from).
 */
export interface TrapReturnFixup {
  readonly name: string;
  readonly mask: number;
  readonly match: number;
  readonly adjust: bigint;
  readonly at?: readonly bigint[];
  readonly ranges?: readonly AddressRange[];
  readonly on?: readonly FixupCause[];
}

/**
 * How instruction fetch is ordered with the other memory accesses: the five candidate
 * configurations of the RISC-V ifetch litmus suite, and `coherent`, the idealised
 * reading (every fetch sees the latest store). machine/model.ts says what each adds.
 */
export const FETCH_CONFIG_NAMES = ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch', 'coherent'] as const;
export type FetchConfigName = (typeof FETCH_CONFIG_NAMES)[number];
/** The suite's configurations: what a scenario that names none is judged under. */
export const SUITE_CONFIGS: readonly FetchConfigName[] = ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch'];

/**
 * The bytes an instruction fetch reads in one atomic piece: Ziccif's aligned M-byte
 * pieces (M = 4 on RV64), each 16-bit parcel on its own, or an aligned line of N bytes.
 */
export type Atomicity = { readonly kind: 'ziccif' } | { readonly kind: 'parcel' } | { readonly kind: 'line'; readonly bytes: number };

/** Data memory: RVWMO, or every access in program order against one memory (sequential consistency). */
export type StoresModel = 'rvwmo' | 'sc';

/**
 * What a hart's own FENCE.I orders for other harts: the ifetch suite's axioms compose
 * (`transitive`: ir3 orders its earlier accesses before its later fetches, ir1 each later
 * instruction's accesses and the interrupts it raises after its fetch: FENCE RW,RWO); the
 * Zifencei chapter's prose does not let it order a request to other harts (`fetch-only`:
 * a data FENCE must precede the request; its later loads and stores still come after its
 * fetches, by ir1). machine/model.ts says what the engine does with each.
 */
export const FENCE_I_READING_NAMES = ['transitive', 'fetch-only'] as const;
export type FenceIReading = (typeof FENCE_I_READING_NAMES)[number];

export interface ModelOptions {
  /** The fetch configurations to judge under, in the order reports list them. */
  readonly fetch: readonly FetchConfigName[];
  readonly stores: StoresModel;
  readonly atomicity: Atomicity;
  readonly fenceI: FenceIReading;
}

/** One configuration: what a single machine runs under. */
export interface MachineModel {
  readonly fetch: FetchConfigName;
  readonly stores: StoresModel;
  readonly atomicity: Atomicity;
  readonly fenceI: FenceIReading;
}

/**
 * A handler for an EBREAK or illegal-instruction trap (kprobes-style): it may run FENCE.I,
 * emulate instructions in place of the trapping one, and resume after them or elsewhere.
 */
export interface TrapHandler {
  readonly name: string;
  readonly cause: 'breakpoint' | 'illegal-instruction';
  /** Only for a trap at this address (every address when absent). */
  readonly at?: bigint;
  /**
   * Instructions executed in sequence as if they stood at the trapping pc and the pcs after
   * it, as kprobes simulates AUIPC, JALR and branches: register-only, and a jump or branch
   * only last (where it sends the hart is where it resumes).
   */
  readonly emulate?: readonly EmulatedInsn[];
  /** Where the hart resumes (absent: after the trapping or emulated instructions). */
  readonly resume?: bigint;
  readonly fenceI: boolean;
  /** Registered when the run begins (`register:` and `unregister:` patch steps change it). */
  readonly registered: boolean;
  /** Named by its author (`name:`): only such a handler can be registered or unregistered by name. */
  readonly named: boolean;
}

/** An instruction a trap handler emulates, assembled where it is emulated. */
export interface EmulatedInsn {
  readonly bits: number;
  readonly length: 2 | 4;
  readonly text: string;
}

/** Everything the machine runs. */
export interface SystemSpec {
  readonly regions: readonly Region[];
  readonly stubs: readonly Stub[];
  readonly harts: readonly RemoteHartSpec[];
  readonly patchers: readonly PatcherSpec[];
  readonly fixups: readonly TrapReturnFixup[];
  readonly traps?: readonly TrapHandler[];
  /** Names of the locks the patching harts take (`lock` steps refer to them by index). */
  readonly locks?: readonly string[];
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
  /** The assembly it came from: a named instruction's definition (`insns:`), else `text`. */
  readonly source?: string;
}

/**
 * A property of a run. Over a whole run ("some hart called X"), or over one hart's part
 * of it when used to classify a hart in the interleaving table.
 */
export type Predicate =
  | { readonly kind: 'ending'; readonly ending: EndingKind | 'crash'; readonly pos: SourcePos }
  | { readonly kind: 'calls'; readonly targets: readonly string[]; readonly pos: SourcePos }
  | { readonly kind: 'no-calls'; readonly pos: SourcePos }
  /** A task was switched out at a timer interrupt (`preempted`), and resumed on another hart than the one it left (`migrated`). */
  | { readonly kind: 'moved'; readonly how: 'preempted' | 'migrated'; readonly pos: SourcePos }
  | { readonly kind: 'call-outside'; readonly allowed: readonly string[]; readonly pos: SourcePos }
  /**
   * The instructions run back to back by one task; with `after`, only once the patch step
   * has been made (checked at the first instruction), with `before`, only while it has not
   * (checked at the last): a particular interleaving, as a `sometimes:` claim can ask for.
   */
  | { readonly kind: 'executed'; readonly at: bigint; readonly insns: readonly InsnRef[]; readonly after?: StepRef; readonly before?: StepRef; readonly pos: SourcePos }
  /** A condition on the final registers and memory, in herd's syntax (`1:a0=1 /\\ x=2`). */
  | { readonly kind: 'final'; readonly condition: Condition; readonly pos: SourcePos }
  | { readonly kind: 'not'; readonly arg: Predicate; readonly pos: SourcePos }
  | { readonly kind: 'all' | 'any'; readonly args: readonly Predicate[]; readonly pos: SourcePos };

/** A patch step as a predicate names it: the patching hart and the step's index in its steps as the machine runs them. */
export interface StepRef {
  readonly patcher: number;
  readonly step: number;
  /** How the author wrote it (`3`, `cpu0 3`). */
  readonly text: string;
}

/** A place whose final value a condition reads: a hart's register, or bytes of memory. */
export type FinalLocation =
  | { readonly kind: 'reg'; readonly hart: number; readonly reg: number; readonly name: string }
  | { readonly kind: 'mem'; readonly addr: bigint; readonly size: number; readonly name: string };

/** herd's propositions over final values; `name` fields are how the author wrote them. */
export type Condition =
  | { readonly kind: 'eq'; readonly loc: FinalLocation; readonly value: bigint; readonly valueText: string; readonly pos: SourcePos }
  | { readonly kind: 'not'; readonly arg: Condition }
  | { readonly kind: 'and' | 'or'; readonly args: readonly Condition[] }
  | { readonly kind: 'true' | 'false' };

/** What a litmus test adds to the scenario it compiles to: herd's view of it. */
export interface LitmusInfo {
  readonly name: string;
  readonly quantifier: 'exists' | '~exists' | 'forall';
  readonly condition: Condition;
  /** The condition as written after the quantifier, for herd's "Condition" line. */
  readonly conditionText: string;
  /** The locations herd lists final states over: the condition's, then `locations [...]`. */
  readonly observed: readonly FinalLocation[];
  /** Values worth printing by name (instr:"..." literals, labels, locations), by value. */
  readonly valueNames: ReadonlyMap<bigint, string>;
}

/** `eventually` is judged over infinite runs too, under fairness (see verdict/liveness.ts). */
export type Quantifier = 'never' | 'always' | 'sometimes' | 'eventually';

export interface Claim {
  readonly quantifier: Quantifier;
  readonly predicate: Predicate;
  /** How the author wrote it, for reports: `never: {executed: [AUIPC', JALR], at: func}`. */
  readonly text: string;
  /**
   * A claim written over several lines, as laid out (`always:\n  any:\n    - ...`),
   * its later lines indented relative to the key: `text` joins them onto one line, which
   * reads as YAML only for a flow-style predicate.
   */
  readonly written?: string;
  readonly because?: string;
  /** Expected to fail (LLVM lit's XFAIL): the author's reason. It passes by failing, and fails by holding. */
  readonly xfail?: string;
  /** Expected to fail only under these configurations (lit's `XFAIL: target`), and to hold under the others. */
  readonly xfailUnder?: readonly FetchConfigName[];
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
  /** Expected to fail (the table's `xfail:` names the row): the author's reason. */
  readonly xfail?: string;
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
  /** Set when the scenario is a litmus test. */
  readonly litmus?: LitmusInfo;
  /** Every check may fail (lit's XFAIL for a whole test): the author's reason. One failing check makes it an expected failure. */
  readonly xfail?: string;
  /** Expected to fail only under these configurations, and to hold under the others. */
  readonly xfailUnder?: readonly FetchConfigName[];
  /** What the author recorded as observed (`outcomes:`, the table's `observed:`): compared with each run, rewritten by --update. */
  readonly recorded?: readonly Recorded[];
  /** Problems that do not stop a run: patch steps outside the Ziccif safe harbour, say. */
  readonly warnings?: readonly Diagnostic[];
  /** Histograms of the scenario run on machines (`hardware:`), to hold against the model's outcomes. */
  readonly hardware?: readonly HardwareRun[];
}

/**
 * A histogram of the scenario's outcomes printed by a machine (a board's serial console,
 * QEMU's), kept as a file next to the notebook, and the configuration that describes
 * that machine: the model must allow every outcome it shows under it.
 */
export interface HardwareRun {
  readonly machine: string;
  /** The file as the notebook names it (relative to the notebook). */
  readonly results: string;
  readonly model: Pick<MachineModel, 'fetch' | 'atomicity'>;
  readonly histogram: Histogram;
  /** The machine is known to show an outcome the model forbids: why. */
  readonly xfail?: string;
  /** Where the entry was written. */
  readonly pos: SourcePos;
}

/**
 * Observations written down in the notebook, one line each, the way snapshot tests keep
 * theirs: `outcomes:` (the scenario's distinct outcomes) and the table's `observed:` (each
 * signature seen with its classes). A run compares them with what it sees; --update
 * rewrites the value's lines.
 */
export interface Recorded {
  readonly kind: 'outcomes' | 'observed';
  readonly lines: readonly string[];
  /** Where the key was written (--update rewrites the value of the key in that block). */
  readonly pos: SourcePos;
}

/** An error in a scenario, at the place the author can fix it. */
export interface Diagnostic {
  readonly pos: SourcePos;
  readonly message: string;
  readonly hint?: string;
  /**
   * Other places that explain it, as a compiler's "note:" lines: for an error in an
   * imported file, the `import:` that brought it in, then the one that brought that file
   * in, out to the scenario being read.
   */
  readonly notes?: readonly DiagnosticNote[];
}

export interface DiagnosticNote {
  readonly pos: SourcePos;
  readonly message: string;
}

export class ScenarioError extends Error {
  // Named, as Node's own errors are: what a stack trace and util.inspect show first.
  override readonly name = 'ScenarioError';
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    const at = (p: SourcePos) => `${p.file}:${p.line}:${p.col}`;
    super(diagnostics.map((d) => [`${at(d.pos)}: ${d.message}`, ...(d.notes ?? []).map((n) => `${at(n.pos)}: note: ${n.message}`)].join('\n')).join('\n'));
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

/**
 * A notebook (or YAML file) as read: its text, its blocks, and their compiled scenarios.
 * A `library` is a YAML file of definitions that scenarios import (no `name:`): it has
 * no scenarios of its own, so no entries and no report.
 */
export interface Notebook {
  readonly file: string;
  readonly text: string;
  readonly kind: 'markdown' | 'yaml' | 'litmus' | 'library';
  readonly entries: ReadonlyArray<{ readonly block: Block; readonly scenario: Scenario }>;
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
  /** Why the program stopped before its last iteration ("after iteration 7: a task ... did not end"). */
  readonly stopped?: string;
}
