// Data types of the verdict stage: what each claim and each table row came to, the
// outcomes observed, and the runs shown as counterexamples or witnesses.

import type { ExploreStats } from '../explore/types.ts';
import type { FutureValues } from '../machine/core.ts';
import type { FetchRule } from '../machine/model.ts';
import type { Ending, MachineEvent, MachineModel, Transition } from '../machine/types.ts';
import type { Claim, FetchConfigName, HardwareRun, HistogramEntry, Recorded, Scenario, TableRow } from '../scenario/types.ts';

/** Outcomes of a check, herd7-style: a claim holds, fails, or the search ran out of budget. */
export type Verdict = 'pass' | 'fail' | 'incomplete';

/**
 * A check's outcome against the author's expectation, LLVM lit's words: it holds (pass),
 * fails (fail), fails as declared (xfail, counts as passing), holds though declared to
 * fail (xpass, counts as failing), or the search ran out of budget (incomplete).
 */
export type Status = 'pass' | 'fail' | 'xfail' | 'xpass' | 'incomplete';

/**
 * What one task did in a run, as far as the claims and the table look. A task is a remote
 * hart's driver or code, named after the hart it starts on; preempted, it may go on on
 * another hart, and all it does there is still its own.
 */
export interface TaskObservation {
  /** Calls made, in order: stub and the address of the instruction that jumped there. */
  readonly calls: ReadonlyArray<{ readonly stub: string; readonly site: bigint }>;
  /** Its signature over the table's alphabet ('' without a table): its instructions, and the FENCE.Is of the harts it ran on while it ran there. */
  readonly signature: string;
  /** Bit i: executed predicate i (see observer.ts) happened in this task. */
  readonly executed: number;
  /** How the task moved (kept only where a predicate asks): bit 1 it was preempted, bit 2 resumed on another hart than it left. */
  readonly moves: number;
}

/**
 * One distinct way a run can end (outcomes.ts): how it ended, what each task showed, the
 * final values observed; with the length of the shortest run that ends so.
 */
export interface Outcome {
  readonly ending: Ending;
  /** Per task, by remote hart index (a spare hart's entry is empty): its shortest run's. */
  readonly tasks: readonly TaskObservation[];
  /** Steps of the shortest run to it. */
  readonly depth: number;
  /** Final values of the locations the scenario observes (a litmus test's, or its `final:` predicates'). */
  readonly final: readonly bigint[];
}

/** A run, replayable from its choices, with every step's events. */
export interface Run {
  readonly choices: readonly number[];
  readonly steps: ReadonlyArray<{ readonly transition: Transition; readonly events: readonly MachineEvent[] }>;
  /** How it ended; a lasso does not end. */
  readonly ending: Ending | undefined;
  /** A lasso (an infinite run): steps from this index on repeat forever. */
  readonly loopFrom?: number;
}

export interface ClaimResult {
  readonly claim: Claim;
  /** Whether the claim holds. */
  readonly verdict: Verdict;
  /** The verdict against the author's expectation (xfail). */
  readonly status: Status;
  /**
   * Distinct outcomes (of the configuration's `outcomes`) in which the predicate held; of
   * those seen, when the search stopped early.
   */
  readonly satisfied: number;
  /** The shortest run that breaks the claim (never/always), or shows it (sometimes). */
  readonly counterexample?: Run;
  readonly witness?: Run;
  /**
   * A `never` or `always` that failed because no run ends (every run loops forever): it
   * would otherwise hold of no outcome at all. No `xfail:` excuses it (status fail).
   */
  readonly noRunEnds?: true;
}

export interface SignatureResult {
  /** Distinct outcomes in which some hart of the table shows this signature. */
  readonly count: number;
  /** The same, by the class the table's classes put it in there (an outcome where harts show it in two classes counts in both). */
  readonly classes: Readonly<Record<string, number>>;
  /** Claimed by a row of the table (its class or "impossible"). */
  readonly claimed?: string;
  /** The shortest run showing it. */
  readonly example: Run;
  readonly hart: number;
}

export interface RowPart {
  readonly signature: string;
  /** The class claimed, or "impossible". */
  readonly expect: string;
  readonly verdict: Verdict;
  /** Distinct outcomes showing the signature, in all and by class (as SignatureResult's). */
  readonly observed: number;
  readonly classes: Readonly<Record<string, number>>;
}

export interface RowResult {
  readonly row: TableRow;
  readonly verdict: Verdict;
  readonly status: Status;
  /** The row's own signature first, then its "would be" alternatives. */
  readonly parts: readonly RowPart[];
  /** A row claimed impossible that failed because no run ends (as ClaimResult's). */
  readonly noRunEnds?: true;
}

export interface TableResult {
  readonly rows: readonly RowResult[];
  readonly signatures: ReadonlyMap<string, SignatureResult>;
  /** Observed signatures the table does not mention. */
  readonly unlisted: readonly string[];
}

/** Why a search is incomplete: a budget ran out, or a search inside the model gave up. */
export type StopReason = 'states' | 'time' | 'certification' | 'speculation';

/** A scenario judged under one configuration of the model. */
export interface ConfigResult {
  readonly model: MachineModel;
  readonly verdict: Verdict;
  readonly claims: readonly ClaimResult[];
  readonly table?: TableResult;
  /** Every distinct outcome of the runs that are executions of the model (invalid dead ends left out). */
  readonly outcomes: readonly Outcome[];
  /** The search's statistics; runs are not counted (the judge never asks: outcomes.ts says why). */
  readonly stats: Omit<ExploreStats, 'executions'>;
  readonly complete: boolean;
  readonly stopped?: StopReason;
  /** Searches run before the values speculative fetches may guess stopped growing. */
  readonly rounds: number;
  /**
   * The values speculative fetches could guess in the last search: a machine built with
   * them (`replayMachine`) offers the same choices, so every run here replays from its choices.
   */
  readonly guesses: FutureValues;
  /**
   * The configuration whose search this one's result is: the rules this configuration adds
   * to it never ordered a step of that search differently, so both have the same runs
   * (verdict/share.ts). Absent: searched under this configuration.
   */
  readonly searchedAs?: FetchConfigName;
}

/**
 * Where a claim holds under some configurations and fails under others, the ordering
 * rules that decide it. For a claim that something never (always, eventually) happens:
 * each configuration where it holds, with the rules it has that those where it fails
 * lack; each such set forbids every counterexample on its own. For a claim that something
 * can happen: each configuration where it cannot, with the rules it has that those where
 * it can lack.
 */
export interface RuleExplanation {
  readonly claim: number;
  readonly failsUnder: readonly FetchConfigName[];
  readonly holdsUnder: readonly FetchConfigName[];
  readonly deciders: ReadonlyArray<{ readonly config: FetchConfigName; readonly rules: ReadonlyArray<FetchRule> }>;
}

/** A recorded observation (`outcomes:`, `observed:`) against what this run saw, as lines in the same form. */
export interface RecordCheck {
  readonly recorded: Recorded;
  readonly observed: readonly string[];
  readonly matches: boolean;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  /** The worst verdict over the configurations: whether every check holds. */
  readonly verdict: Verdict;
  /**
   * Against the author's expectations: fail when a check fails unexpectedly, a declared
   * failure holds, or a recorded observation changed; xfail when only expected failures
   * failed; incomplete when a search ran out of budget.
   */
  readonly status: Status;
  readonly records: readonly RecordCheck[];
  /** One per configuration judged, in the scenario's order. */
  readonly configs: readonly ConfigResult[];
  readonly explanations: readonly RuleExplanation[];
  /**
   * Groups of interchangeable remote harts (same code, treated alike): the search kept one
   * of each set of states equal up to permuting them, and outcomes list their calls as a
   * multiset: an outcome and its copy with those harts' parts swapped are one.
   */
  readonly symmetry: readonly (readonly number[])[];
  /** The scenario's `hardware:` histograms against the model; an outcome the model forbids makes the status fail. */
  readonly hardware?: readonly HardwareCheck[];
}

/** A histogram held against the model's outcomes under the configuration that describes the machine. */
export interface HwComparison {
  readonly scenario: string;
  readonly config: string;
  /** The model's outcomes, each with how often the machine showed it (0: never), and the first iteration that did. */
  readonly allowed: ReadonlyArray<{ readonly outcome: string; readonly count: number; readonly first?: number }>;
  /** Outcomes the machine showed that the model does not allow. */
  readonly forbidden: readonly HistogramEntry[];
  /** The model's search ran out of budget: an outcome it did not see may still be allowed. */
  readonly modelIncomplete: boolean;
  readonly iterations: number;
  /** Why the machine stopped before its last iteration, in its words. */
  readonly stopped?: string;
}

/** A machine's histogram (the scenario's `hardware:`) held against the model: src/hw computes it after judging. */
export interface HardwareCheck {
  readonly run: HardwareRun;
  readonly comparison: HwComparison;
  /** fail (or xfail, when the entry declares it) on an outcome the model forbids; pass (or xpass) otherwise. */
  readonly status: Status;
}
