// The memory model's options, kept apart from the engine that runs them (as herd7 keeps
// its cat files apart from its engine). A fetch configuration is a list of ordering rules
// on top of RVWMO with instruction-fetch events; the engine asks this table which rules
// hold and never looks at a configuration's name.
//
// The five suite configurations are those of the RISC-V ifetch litmus suite (rems-project,
// litmus-tests-riscv-ifetch). Every one of them has the base rules:
//   irf/ifr: a fetch reads from a write like a load does, but never from the hart's own
//            store buffer (fetches see a store only once other harts could);
//   ir1:     [I];iico;[M & Exp]           a fetch is ordered before its instruction's accesses;
//   ir3:     [M & Exp];fencerel(FENCE.I);[I]  FENCE.I orders the hart's earlier explicit
//            accesses before its later fetches.
// and each adds at most one rule.

import type { Atomicity, FenceIReading, FetchConfigName, MachineModel } from '../scenario/types.ts';

/** The ordering rules a configuration adds to the base, as the engine consumes them. */
export interface FetchRules {
  /** ir2: [I];po;[I]. A hart's fetches are in program order. */
  readonly fetchInOrder: boolean;
  /** Stores eventually become visible to fetches (Ziccid): a fair run cannot fetch stale code forever. */
  readonly eventuallyVisible: boolean;
  /**
   * A FENCE.I run in an interrupt handler orders later fetches after what the interrupt's
   * raise was ordered after. Ziccid's operational model makes fetches reads in the global
   * memory order, in program order: the handler runs after the raise, so the fetches after
   * its FENCE.I come after it too (the manual's recipe: FENCE W,O, an IPI, a remote FENCE.I).
   * Elsewhere nothing orders a fetch after an interrupt: the handler must load something.
   */
  readonly interruptAnchorsFenceI: boolean;
  /** [I];po;[W & Exp]. A fetch is ordered before the hart's later explicit writes. */
  readonly fetchBeforeWrites: boolean;
  /** [I];po;[R & Exp]. A fetch is ordered before the hart's later explicit reads too. */
  readonly fetchBeforeReads: boolean;
  /** ir3f: [I];fencerel(FENCE.I);[I]. FENCE.I orders earlier fetches (its own too) before later ones. */
  readonly fenceIOrdersFetches: boolean;
  /** Every fetch reads the latest store, as if instruction memory were data memory under SC. */
  readonly coherent: boolean;
  /**
   * Rules of other configurations that this search watches, off here (never in the table
   * below: a search sets it, `watchRules`). Where such a rule would have ordered a step
   * differently, the step notes it in `bitten`; where none ever does, the search is the
   * search of the configuration with those rules on, step for step (verdict/share.ts).
   */
  readonly watch?: RuleWatch;
}

/** A rule's name. */
export type FetchRule = Exclude<keyof FetchRules, 'watch'>;

/**
 * The rules that only join a fetch's time into views the configuration's others keep
 * anyway: whether one of them changes a step can be told from the state of a search
 * without it. (ir2, ir-interrupt and coherence change which fetches are offered, or what
 * a state must keep: a search without them cannot tell.)
 */
export const WATCHABLE_RULES = ['fetchBeforeWrites', 'fetchBeforeReads', 'fenceIOrdersFetches'] as const;
export type WatchableRule = (typeof WATCHABLE_RULES)[number];

/** Rules a search watches, and those that would have changed one of its steps. */
export interface RuleWatch {
  readonly watched: ReadonlySet<WatchableRule>;
  readonly bitten: Set<WatchableRule>;
}

/** `rules` watching `watched` (those of them it has on are not watched: they apply). */
export function watchRules(rules: FetchRules, watched: Iterable<WatchableRule>): FetchRules {
  const off = new Set([...watched].filter((r) => !rules[r]));
  return off.size ? { ...rules, watch: { watched: off, bitten: new Set() } } : rules;
}

/**
 * Whether a search under `lead`'s rules can stand for one under `rider`'s: the rider has
 * every rule the lead has, and its others are all watchable. Which of them, or undefined.
 */
export function ridingRules(lead: FetchRules, rider: FetchRules): WatchableRule[] | undefined {
  const keys = Object.keys(NONE) as Array<FetchRule>;
  if (keys.some((k) => lead[k] && !rider[k])) return undefined;
  const extra = keys.filter((k) => rider[k] && !lead[k]);
  return extra.every((k) => (WATCHABLE_RULES as readonly string[]).includes(k)) ? (extra as WatchableRule[]) : undefined;
}

export interface FetchConfig {
  readonly name: FetchConfigName;
  readonly rules: FetchRules;
  /** The rule it adds, in the suite's relational notation. */
  readonly rule: string;
  /** The same in plain words, for reports. */
  readonly plain: string;
  /** What a counterexample that this rule forbids must have done, for reports. */
  readonly forbids: string;
}

const NONE: Record<FetchRule, boolean> = {
  fetchInOrder: false,
  eventuallyVisible: false,
  interruptAnchorsFenceI: false,
  fetchBeforeWrites: false,
  fetchBeforeReads: false,
  fenceIOrdersFetches: false,
  coherent: false,
};

export const FETCH_CONFIGS: Readonly<Record<FetchConfigName, FetchConfig>> = {
  'ziccif-only': {
    name: 'ziccif-only',
    rules: NONE,
    rule: 'ir1 + ir3 only',
    plain: 'the base: a fetch is ordered before its own instruction\'s accesses, and FENCE.I orders the hart\'s earlier loads and stores before its later fetches; nothing else orders a fetch',
    forbids: '',
  },
  ziccid: {
    name: 'ziccid',
    rules: { ...NONE, fetchInOrder: true, eventuallyVisible: true, interruptAnchorsFenceI: true },
    rule: 'ir2 = [I];po;[I]',
    plain: 'Ziccid: a hart\'s fetches happen in program order (so a FENCE.I in an interrupt handler orders later fetches after the interrupt\'s raise), and stores eventually become visible to fetches without FENCE.I',
    forbids: 'a hart\'s fetches out of program order',
  },
  'ir-decode-w': {
    name: 'ir-decode-w',
    rules: { ...NONE, fetchBeforeWrites: true },
    rule: 'ir-decode-w = [I];po;[W & Exp]',
    plain: 'a fetch is ordered before the hart\'s later stores (instructions are decoded in order before they write)',
    forbids: 'a store made visible before an earlier fetch of the same hart',
  },
  'ir-decode': {
    name: 'ir-decode',
    rules: { ...NONE, fetchBeforeWrites: true, fetchBeforeReads: true },
    rule: 'ir-decode = [I];po;[Exp]',
    plain: 'a fetch is ordered before all the hart\'s later loads and stores (instructions are decoded in order)',
    forbids: 'a load or store performed before an earlier fetch of the same hart',
  },
  'ir3-fetch': {
    name: 'ir3-fetch',
    rules: { ...NONE, fenceIOrdersFetches: true },
    rule: 'ir3f = [I];fencerel(FENCE.I);[I]',
    plain: 'FENCE.I also orders the hart\'s earlier fetches (its own included) before its later fetches: the ISA manual\'s current text (riscv-isa-manual PR #3404, merged 2026-09)',
    forbids: 'a fetch after a FENCE.I reading older code than a fetch before it',
  },
  coherent: {
    name: 'coherent',
    rules: { ...NONE, fetchInOrder: true, eventuallyVisible: true, interruptAnchorsFenceI: true, coherent: true },
    rule: 'every fetch reads the latest store',
    plain: 'the idealised reading: instruction fetch sees memory as it is now, as if there were no instruction cache',
    forbids: 'a fetch reading anything but the latest store',
  },
};

/**
 * The readings of what a hart's own FENCE.I orders of its data accesses, as other harts
 * see them (a model option beside the fetch configuration; see FenceIReading). The engine
 * asks `ordersOutput`, never the name.
 */
export interface FenceIRules {
  /**
   * FENCE.I orders the hart's earlier loads and stores before the device output of its
   * later instructions (the interrupts and SBI calls they raise) as well as before their
   * loads and stores: as FENCE RW,RWO. ir3 orders them before each later fetch, and ir1
   * each fetch before what its instruction does. Otherwise ir1 orders a fetch before its
   * instruction's loads and stores only (every configuration has that), not before device
   * output: FENCE.I then acts as FENCE RW,RW on what other harts see.
   */
  readonly ordersOutput: boolean;
  /** In plain words, for reports and the README. */
  readonly plain: string;
}

export const FENCE_I_READINGS: Readonly<Record<FenceIReading, FenceIRules>> = {
  transitive: {
    ordersOutput: true,
    plain: "the ifetch suite's axioms: FENCE.I orders the hart's earlier loads and stores before its later fetches (ir3), and each later instruction's accesses and the interrupts it raises come after its fetch (ir1), so FENCE.I acts as FENCE RW,RWO",
  },
  'fetch-only': {
    ordersOutput: false,
    plain: "the Zifencei chapter's prose: FENCE.I synchronizes the hart's own instruction stream, and the writing hart must execute a data FENCE before requesting that other harts execute FENCE.I; its later loads and stores still follow its earlier ones by way of their fetches (ir1), but no request it makes does",
  },
};

export const DEFAULT_FENCE_I: FenceIReading = 'transitive';

/** Bytes of the atomic fetch pieces: Ziccif's M is 4 on RV64 (min(ILEN, XLEN)/8 rounded up to a power of 2). */
export function pieceBytes(a: Atomicity): number {
  return a.kind === 'ziccif' ? 4 : a.kind === 'parcel' ? 2 : a.bytes;
}

export function atomicityText(a: Atomicity): string {
  return a.kind === 'line' ? `line ${a.bytes}` : a.kind;
}

export function modelText(m: MachineModel): string {
  return `fetch: ${m.fetch}, stores: ${m.stores}, atomicity: ${atomicityText(m.atomicity)}, fence.i: ${m.fenceI}`;
}

export const DEFAULT_ATOMICITY: Atomicity = { kind: 'ziccif' };
