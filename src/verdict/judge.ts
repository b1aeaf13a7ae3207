// Running a scenario and judging it: under each configuration of the model, explore every
// behaviour, keep the runs that are executions of the model, then decide each claim and
// each row of the author's table from them, with the shortest run that breaks (or shows)
// each one. Where a claim holds under some configurations only, name the rules that make
// the difference.

import { explore, type ExploreOptions } from '../explore/explore.ts';
import { DEFAULT_BUDGET, type ExploreResult } from '../explore/types.ts';
import { unsupportedInstructions } from '../machine/check.ts';
import { addFuture } from '../machine/core.ts';
import { Deadline, OutOfTime } from '../machine/deadline.ts';
import { Machine, seedFuture } from '../machine/machine.ts';
import { FETCH_CONFIGS, ridingRules, type FetchRule, type WatchableRule } from '../machine/model.ts';
import type { Ending, MachineEvent, MachineModel, MachineState, Transition } from '../machine/types.ts';
import { ScenarioError, type FetchConfigName, type FinalLocation, type Scenario } from '../scenario/types.ts';
import { findLasso, STALE_FETCH, STALE_LOAD, TAKES_INTERRUPT, UNSETTLED } from './liveness.ts';
import { executedPredicates, scenarioObserver, type Observation } from './observer.ts';
import { judgeClaim, judgeTable, type Ended } from './claims.ts';
import { groupOutcomes, type Unnumbered } from './outcomes.ts';
import { holds, type ExecutedIndex } from './predicates.ts';
import { stateKey, symmetryGroups } from './symmetry.ts';
import { expectsFailure, scenarioStatus, statusOf } from './expect.ts';
import { checkRecords } from './records.ts';
import { shareSearches } from './share.ts';
import { processClock } from './clock.ts';
import { cutOffByTime } from './cutoff.ts';
import { observedLocations } from './observed.ts';
import type { ConfigResult, RuleExplanation, Run, ScenarioResult, StopReason, Verdict } from './types.ts';

const WORST: Verdict[] = ['fail', 'incomplete', 'pass'];
export function worst(vs: readonly Verdict[]): Verdict {
  return WORST.find((v) => vs.includes(v)) ?? 'pass';
}

/** Searches at most this many times while speculative fetches find new values to guess. */
const MAX_ROUNDS = 6;

// The judge sets the deadline itself, from the budget: one per scenario.
export interface JudgeOptions extends Omit<ExploreOptions<MachineState, Observation>, 'key' | 'label' | 'mark' | 'deadline' | 'countRuns'> {
  /** Merge states equal up to permuting identical harts (default true). */
  readonly symmetry?: boolean;
  /**
   * Partial-order reduction (default true): where a remote hart's next step commutes with
   * everything the others can do, take it alone (machine/independence.ts). False: the
   * plain search, every interleaving; the reports' verdicts and outcomes are the same.
   */
  readonly reduction?: boolean;
  /** Remote harts' steps computed once per context (default true; MachineOptions.stepCache): the tests turn it off to compare. */
  readonly stepCache?: boolean;
  /** Judge under these fetch configurations instead of the scenario's own. */
  readonly configs?: readonly FetchConfigName[];
}

/**
 * What judging a scenario under each of its configurations needs beyond the scenario,
 * worked out once: the configurations in the order reports list them, the groups of
 * interchangeable harts, the time budget they share. Plain data, so that the
 * configurations can be judged apart (in worker threads, verdict/pool.ts) and their
 * results put together by `combineConfigs` exactly as `judgeScenario` puts them.
 */
export interface JudgePlan {
  readonly models: readonly MachineModel[];
  readonly groups: number[][];
  /** Seconds all the configurations' searches take together, at most (Infinity: no limit). */
  readonly seconds: number;
  /** Partial-order reduction on (JudgeOptions.reduction). */
  readonly reduction: boolean;
  /**
   * The units of work, in the plan's order of their first configuration: each a search
   * under `models[unit[0]]` that stands for the others of the unit too wherever their
   * extra rules never change a step of it (verdict/share.ts). With the reduction off, one
   * configuration each: the plain judgement searches every configuration.
   */
  readonly units: ReadonlyArray<readonly number[]>;
}

/** What one unit of a plan gives: the results of the configurations it stood for, and those it could not. */
export interface UnitResult {
  readonly results: ReadonlyArray<readonly [k: number, result: ConfigResult]>;
  /** Configurations whose rules changed a step of the search: each needs a search of its own (a unit of just it). */
  readonly unshared: readonly number[];
}

/** The plan of a scenario's judgement. Throws ScenarioError for code the model does not run. */
export function planScenario(scenario: Scenario, options: Pick<JudgeOptions, 'symmetry' | 'reduction' | 'configs' | 'budget'> = {}): JudgePlan {
  const unsupported = unsupportedInstructions(scenario);
  if (unsupported.length) throw new ScenarioError(unsupported);
  const observedHarts = new Set(observedLocations(scenario).flatMap((l) => (l.kind === 'reg' ? [l.hart] : [])));
  const groups = options.symmetry === false ? [] : symmetryGroups(scenario, observedHarts);
  const { stores, atomicity, fenceI } = scenario.system.model;
  const names = options.configs ?? scenario.system.model.fetch;
  const reduction = options.reduction !== false;
  return {
    models: names.map((fetch) => ({ fetch, stores, atomicity, fenceI })),
    groups,
    seconds: { ...DEFAULT_BUDGET, ...scenario.budget, ...options.budget }.maxSeconds,
    reduction,
    units: reduction ? shareSearches(names) : names.map((_, k) => [k]),
  };
}

/**
 * The scenario's deadline, started now: every configuration, every round of the search,
 * the certification searches inside its steps, the liveness search after. Each search
 * timing itself would let a judgement run for as many budgets as it runs searches
 * (thousands, counting certifications), and a timer per configuration for five times the
 * budget the user gave. An absolute time on the process's clock (verdict/clock.ts), so
 * configurations judged at once in several threads share it.
 */
export function scenarioDeadline(plan: JudgePlan): number {
  return processClock() + plan.seconds * 1000;
}

/** Judges the scenario under each configuration of its plan, one unit after the other, in this thread. */
export function judgeScenario(scenario: Scenario, options: JudgeOptions = {}): ScenarioResult {
  const plan = planScenario(scenario, options);
  const at = scenarioDeadline(plan);
  const results: ConfigResult[] = [];
  const units = [...plan.units];
  for (let u; (u = units.shift()); ) {
    const done = judgeUnit(scenario, plan, u, options, at);
    for (const [k, r] of done.results) results[k] = r;
    units.push(...done.unshared.map((k) => [k]));
  }
  return combineConfigs(scenario, plan, results);
}

/**
 * The scenario under its plan's configurations `unit` (one of `plan.units`, or a single
 * configuration), searched until the deadline `at` (scenarioDeadline's clock): one unit of
 * a judgement, the same wherever it runs.
 */
export function judgeUnit(scenario: Scenario, plan: JudgePlan, unit: readonly number[], options: JudgeOptions, at: number): UnitResult {
  const [lead, ...riders] = unit;
  const judged = judgeUnder(scenario, plan.models[lead], riders.map((k) => plan.models[k]), plan.groups, { ...options, reduction: plan.reduction }, new Deadline(at, processClock));
  return {
    results: unit.flatMap((k, i) => (judged[i] ? [[k, judged[i]] as const] : [])),
    unshared: unit.filter((_, i) => !judged[i]),
  };
}

/** The judgement of a scenario from its configurations' results, in its plan's order. */
export function combineConfigs(scenario: Scenario, plan: JudgePlan, configs: readonly ConfigResult[]): ScenarioResult {
  const records = checkRecords(scenario, configs, plan.groups);
  return {
    scenario,
    verdict: worst(configs.map((c) => c.verdict)),
    status: scenarioStatus(scenario, configs, records),
    records,
    configs,
    explanations: explain(scenario, configs),
    symmetry: plan.groups,
  };
}

function actorOf(t: Transition, harts: number): number {
  switch (t.kind) {
    case 'patch':
      return harts + t.patcher;
    case 'promise':
      return t.actor;
    default:
      return t.hart;
  }
}

/**
 * Judges the scenario under `model`, and under each of `riders` whose extra rules (all
 * watchable: verdict/share.ts) never changed a step of the searches: the same runs, judged
 * with the rider's expectations. The results in that order, undefined for a rider whose
 * rules did change a step.
 */
function judgeUnder(scenario: Scenario, model: MachineModel, riders: readonly MachineModel[], groups: number[][], options: JudgeOptions, deadline: Deadline): Array<ConfigResult | undefined> {
  const executed = executedPredicates(scenario);
  const index: ExecutedIndex = new Map(executed.map((p, i) => [p, i]));
  const observed = observedLocations(scenario);
  const observedHarts = new Set(observed.flatMap((l) => (l.kind === 'reg' ? [l.hart] : [])));
  const eventually = scenario.claims.flatMap((c, i) => (c.quantifier === 'eventually' ? [i] : []));
  const H = scenario.system.harts.length;
  const budget = { ...DEFAULT_BUDGET, ...scenario.budget, ...options.budget };
  const future = seedFuture(scenario.system, model);
  // Tasks of a symmetry group are interchangeable (their observations are judged as a multiset).
  const taskClasses = scenario.system.harts.map((_, i) => groups.find((g) => g.includes(i))?.[0] ?? i);
  let rounds = 0;
  let stopped: StopReason | undefined;
  let machine: Machine;
  let r: ExploreResult<MachineState, Observation>;
  // Partial-order reduction unless turned off, or `eventually` needs the whole graph (fair cycles).
  let reduce = options.reduction !== false && !eventually.length;
  const watched = riders.map((m) => ridingRules(FETCH_CONFIGS[model.fetch].rules, FETCH_CONFIGS[m.fetch].rules)!);
  const watch = [...new Set(watched.flat())];
  // What the watched rules would have changed in any of the searches (every round's machine).
  const bitten = new Set<WatchableRule>();
  for (;;) {
    rounds++;
    machine = new Machine(scenario.system, model, { future, observedHarts, taskClasses, deadline, stepCache: options.stepCache, watch });
    const m = machine;
    const observer = scenarioObserver(scenario, executed);
    const key = stateKey(m, groups, (o, out) => observer.actorKeys!(o, out), (o) => observer.sharedKey!(o));
    const liveness = eventually.length
      ? {
          label: (t: Transition, events: readonly MachineEvent[]) =>
            actorOf(t, H) |
            (events.some((e) => e.kind === 'exec' && e.stale) ? STALE_FETCH : 0) |
            (events.some((e) => e.kind === 'load' && e.stale) ? STALE_LOAD : 0) |
            (t.kind === 'take-ipi' ? TAKES_INTERRUPT : 0),
          mark: (s: MachineState, o: Observation) => {
            let bits = m.valid(s) ? 0 : UNSETTLED;
            eventually.forEach((c, k) => {
              if (holds(scenario.claims[c].predicate, undefined, o.tasks, index, undefined, (loc) => m.finalValue(s, loc))) bits |= 1 << k;
            });
            return bits;
          },
        }
      : {};
    r = explore(m, observer, { ...options, budget, deadline, key, reduce, loops: true, ...liveness });
    for (const rule of m.bitten) bitten.add(rule);
    // A crash stops every hart, so a run that crashes need not take the steps the reduced
    // search made other harts take first: it keeps every outcome, but its shortest run to a
    // crash may be longer. Where a run crashes, the plain search finds the shortest.
    if (reduce && r.complete && r.terminals.some((t) => t.state.halted)) {
      reduce = false;
      rounds--;
      continue;
    }
    if (!r.complete) stopped = r.stopped;
    else if (m.incomplete) stopped = 'certification';
    if (stopped || !m.core.speculates || !addFuture(future, m.pieceValues)) break;
    if (rounds >= MAX_ROUNDS) {
      stopped = 'speculation';
      break;
    }
  }
  // Cut off by the clock: what it saw by then is not the scenario's to report (cutoff.ts).
  // So too for the configurations it stood for (one whose rule changed a step gets its own
  // search, which finds the time up too).
  // Asked when the results are made (what replays compute is watched too).
  const shares = (i: number) => !watched[i].some((rule) => bitten.has(rule));
  const cutOff = () => [cutOffByTime(scenario, model, r.stats, rounds, future), ...riders.map((m, i) => (shares(i) ? { ...cutOffByTime(scenario, m, r.stats, rounds, future), searchedAs: model.fetch } : undefined))];
  if (stopped === 'time') return cutOff();
  const complete = stopped === undefined;
  const found: Unnumbered[] = [];
  for (const t of r.terminals) {
    if (!machine.valid(t.state)) continue; // a promise not kept or a guess not confirmed: no execution
    const values = (loc: FinalLocation) => machine.finalValue(t.state, loc);
    found.push({
      index: t.index,
      ending: machine.ending(t.state),
      tasks: t.observation.tasks.map((h) => ({ calls: h.calls, signature: h.signature, executed: h.executed, moves: h.moves })),
      depth: t.depth,
      values,
      final: observed.map(values),
    });
  }
  // Runs that never end, each where it goes round for ever (explore.ts findLoops): judged
  // as outcomes too, or a run that does something and then loops would escape every claim.
  const observer = scenarioObserver(scenario, executed);
  for (const at of r.loops ?? []) {
    const steps = machine.replay(r.choicesTo(at));
    const state = steps.length ? steps[steps.length - 1].state : machine.initial();
    if (!machine.valid(state)) continue; // a promise never kept: no execution
    const observation = steps.reduce((o, step) => observer.observe(o, step.events), observer.initial);
    const values = (loc: FinalLocation) => machine.finalValue(state, loc);
    found.push({
      index: at,
      ending: loopsForever(machine, state),
      tasks: observation.tasks.map((h) => ({ calls: h.calls, signature: h.signature, executed: h.executed, moves: h.moves })),
      depth: steps.length,
      values,
      final: observed.map(values),
      loops: true,
    });
  }
  const { outcomes, ended } = groupOutcomes(found, groups);
  const replayed = new Map<number, Run>();
  const replay = (e: Ended): Run => {
    let run = replayed.get(e.index);
    if (!run) {
      // Steps the search took alone are numbered apart (-1): replay gives each its place in the full list.
      const steps = machine.replay(r.choicesTo(e.index));
      run = { choices: steps.map((x) => x.choice), steps: steps.map(({ transition, events }) => ({ transition, events })), ending: e.ending };
      replayed.set(e.index, run);
    }
    return run;
  };
  const lasso = (claim: number): Run | undefined => {
    if (!r.graph) return undefined;
    const g = r.graph;
    const bit = 1 << eventually.indexOf(claim);
    const pathTo = (state: number) => {
      const states = [0];
      for (const c of r.choicesTo(state)) states.push(g.target[g.start[states[states.length - 1]] + c]);
      return states;
    };
    const found = findLasso(g, bit, { actors: H + scenario.system.patchers.length, fetchesSeeStores: FETCH_CONFIGS[model.fetch].rules.eventuallyVisible }, pathTo, deadline);
    if (!found) return undefined;
    const prefix = r.choicesTo(found.prefix[found.prefix.length - 1]);
    const choices = [...prefix, ...found.loopChoices];
    return { choices, steps: machine.replay(choices).map(({ transition, events }) => ({ transition, events })), ending: undefined, loopFrom: prefix.length };
  };
  const judgeClaims = () => scenario.claims.map((c, i) => judgeClaim(c, ended, index, complete, replay, c.quantifier === 'eventually' ? () => lasso(i) : undefined));
  let claims: ReturnType<typeof judgeClaims>;
  try {
    claims = judgeClaims();
  } catch (e) {
    // The liveness search ran out of time: no lasso found is not "none exists".
    if (!(e instanceof OutOfTime)) throw e;
    return cutOff();
  }
  // The same runs under each configuration the search stood for: only what its author
  // expects of it (`xfail:` naming configurations) differs.
  const judgedAs = (m: MachineModel): ConfigResult => {
    const expectFail = expectsFailure(scenario, m.fetch);
    const table = scenario.table && judgeTable(scenario.table, ended, index, complete, replay, expectFail);
    const verdicts = [...claims.map((c) => c.verdict), ...(table?.rows.map((row) => row.verdict) ?? [])];
    if (!complete) verdicts.push('incomplete');
    return {
      model: m,
      verdict: worst(verdicts),
      // No run ends: a claim about how runs end that cannot be judged fails, whatever `xfail:` says.
      claims: claims.map((c, i) => ({ ...c, status: c.noRunEnds ? ('fail' as const) : statusOf(c.verdict, { check: expectsFailure(scenario.claims[i], m.fetch), scenario: expectFail }) })),
      ...(table ? { table } : {}),
      outcomes,
      stats: r.stats,
      complete,
      ...(stopped ? { stopped } : {}),
      rounds,
      guesses: future,
      ...(m !== model ? { searchedAs: model.fetch } : {}),
    };
  };
  return [judgedAs(model), ...riders.map((m, i) => (shares(i) ? judgedAs(m) : undefined))];
}

/** How a run that goes round for ever ends: never, with who is still going. */
function loopsForever(machine: Machine, s: MachineState): Ending {
  const stuck = machine.ending(s);
  return { kind: 'deadlock', detail: `no run from here ends, it loops for ever${stuck.kind === 'deadlock' ? `: ${stuck.detail}` : ''}` };
}

/** A machine that offers exactly the choices the runs of `c` were recorded with: replay them on it. */
export function replayMachine(scenario: Scenario, c: ConfigResult): Machine {
  return new Machine(scenario.system, c.model, { future: c.guesses });
}

const RULES: ReadonlyArray<FetchRule> = ['fetchInOrder', 'interruptAnchorsFenceI', 'fetchBeforeWrites', 'fetchBeforeReads', 'fenceIOrdersFetches', 'coherent', 'eventuallyVisible'];

/** For claims that hold under some configurations and fail under others, the rules that make the difference. */
function explain(scenario: Scenario, configs: readonly ConfigResult[]): RuleExplanation[] {
  const out: RuleExplanation[] = [];
  const has = (c: ConfigResult, k: FetchRule) => FETCH_CONFIGS[c.model.fetch].rules[k];
  // A rule about interrupt handlers explains nothing where no patching hart interrupts anyone.
  const interrupts =
    scenario.system.patchers.some((p) => p.steps.some((st) => st.kind === 'ipi' || st.kind === 'sbi')) ||
    scenario.system.stubs.some((st) => st.service?.kind === 'ipi' || st.service?.kind === 'sbi');
  scenario.claims.forEach((claim, i) => {
    const fails = configs.filter((c) => c.claims[i].verdict === 'fail');
    const holds = configs.filter((c) => c.claims[i].verdict === 'pass');
    if (!fails.length || !holds.length) return;
    const liveness = claim.quantifier === 'eventually';
    // Who forbids what: for "sometimes" the configurations where it cannot happen, else those where it holds.
    const [deciders, others] = claim.quantifier === 'sometimes' ? [fails, holds] : [holds, fails];
    out.push({
      claim: i,
      failsUnder: fails.map((c) => c.model.fetch),
      holdsUnder: holds.map((c) => c.model.fetch),
      deciders: deciders.map((c) => ({
        config: c.model.fetch,
        // A rule explains the difference only if none of the other side has it.
        rules: RULES.filter((k) => has(c, k) && others.every((o) => !has(o, k)) && (liveness || k !== 'eventuallyVisible') && (interrupts || k !== 'interruptAnchorsFenceI')),
      })),
    });
  });
  return out;
}
