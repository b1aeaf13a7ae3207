// Running a scenario and judging it: explore every behaviour, then decide each claim and
// each row of the author's table from the runs that ended, with the shortest run that
// breaks (or shows) each one.

import { explore, type ExploreOptions } from '../explore/explore.ts';
import { unsupportedInstructions } from '../machine/check.ts';
import { Machine } from '../machine/machine.ts';
import type { Ending, MachineState } from '../machine/types.ts';
import { ScenarioError, type Claim, type Scenario, type SignatureTable } from '../scenario/types.ts';
import { executedPredicates, scenarioObserver, type Observation } from './observer.ts';
import { symmetricKey, symmetryGroups } from './symmetry.ts';
import { holds, type ExecutedIndex } from './predicates.ts';
import type { ClaimResult, HartObservation, Outcome, RowPart, RowResult, Run, ScenarioResult, SignatureResult, TableResult, Verdict } from './types.ts';

/** A run that ended: its ending, what each hart showed, how many runs end so. */
interface Ended {
  readonly index: number;
  readonly ending: Ending;
  readonly harts: readonly HartObservation[];
  readonly runs: bigint | null;
  readonly depth: number;
}

const WORST: Verdict[] = ['fail', 'incomplete', 'pass'];
export function worst(vs: readonly Verdict[]): Verdict {
  return WORST.find((v) => vs.includes(v)) ?? 'pass';
}

function sumRuns(list: readonly Ended[]): bigint | null {
  let n = 0n;
  for (const e of list) {
    if (e.runs === null) return null;
    n += e.runs;
  }
  return n;
}

function judgeClaim(claim: Claim, ended: readonly Ended[], index: ExecutedIndex, complete: boolean, replay: (e: Ended) => Run): ClaimResult {
  const sat = ended.filter((e) => holds(claim.predicate, e.ending, e.harts, index));
  const satisfied = sumRuns(sat);
  switch (claim.quantifier) {
    case 'never':
      if (sat.length) return { claim, verdict: 'fail', satisfied, counterexample: replay(sat[0]) };
      return { claim, verdict: complete ? 'pass' : 'incomplete', satisfied };
    case 'always': {
      const broken = ended.find((e) => !holds(claim.predicate, e.ending, e.harts, index));
      if (broken) return { claim, verdict: 'fail', satisfied, counterexample: replay(broken) };
      return { claim, verdict: complete ? 'pass' : 'incomplete', satisfied };
    }
    case 'sometimes':
      if (sat.length) return { claim, verdict: 'pass', satisfied, witness: replay(sat[0]) };
      return { claim, verdict: complete ? 'fail' : 'incomplete', satisfied };
  }
}

function judgeTable(table: SignatureTable, ended: readonly Ended[], index: ExecutedIndex, complete: boolean, replay: (e: Ended) => Run): TableResult {
  const acc = new Map<string, { count: bigint; classes: Record<string, bigint>; hart: number; example: Ended }>();
  for (const e of ended) {
    for (const h of table.harts) {
      const sig = e.harts[h].signature;
      const cls = table.classes.find((c) => holds(c.predicate, e.ending, e.harts, index, h))?.name ?? 'unclassified';
      const a = acc.get(sig) ?? { count: 0n, classes: {}, hart: h, example: e };
      const n = e.runs ?? 1n;
      a.count += n;
      a.classes[cls] = (a.classes[cls] ?? 0n) + n;
      acc.set(sig, a);
    }
  }
  const claimedBy = new Map<string, string>();
  const mentioned = new Set<string>();
  for (const r of table.rows) {
    claimedBy.set(r.signature, r.claim.kind === 'class' ? r.claim.class : 'impossible');
    mentioned.add(r.signature);
    if (r.claim.kind === 'impossible') r.claim.wouldBe.forEach((w) => mentioned.add(w.signature));
  }
  const part = (signature: string, expect: string): RowPart => {
    const seen = acc.get(signature);
    const observed = seen?.count ?? 0n;
    const classes = seen?.classes ?? {};
    let verdict: Verdict;
    if (expect === 'impossible') verdict = observed ? 'fail' : complete ? 'pass' : 'incomplete';
    else if (!observed) verdict = complete ? 'fail' : 'incomplete';
    else verdict = Object.keys(classes).every((c) => c === expect) ? 'pass' : 'fail';
    return { signature, expect, verdict, observed, classes };
  };
  const rows: RowResult[] = table.rows.map((row) => {
    const parts =
      row.claim.kind === 'class'
        ? [part(row.signature, row.claim.class)]
        : [part(row.signature, 'impossible'), ...row.claim.wouldBe.map((w) => part(w.signature, w.class))];
    return { row, verdict: worst(parts.map((p) => p.verdict)), parts };
  });
  const signatures = new Map<string, SignatureResult>();
  for (const [sig, a] of acc) {
    const claimed = claimedBy.get(sig);
    signatures.set(sig, { count: a.count, classes: a.classes, hart: a.hart, example: replay(a.example), ...(claimed ? { claimed } : {}) });
  }
  const unlisted = [...acc.keys()].filter((s) => !mentioned.has(s)).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return { rows, signatures, unlisted };
}

/**
 * Distinct outcomes: the ending and what each hart called. Harts of a symmetry group are
 * interchangeable, so their calls count as a multiset: the outcome where cpu1 calls the
 * old target and cpu2 the new one is the same as the reverse.
 */
function groupOutcomes(ended: readonly Ended[], groups: readonly number[][]): Outcome[] {
  const groupOf = new Map<number, readonly number[]>();
  for (const g of groups) for (const h of g) groupOf.set(h, g);
  const groupsMap = new Map<string, { first: Ended; members: Ended[] }>();
  for (const e of ended) {
    const calls = e.harts.map((h) => h.calls.map((c) => `${c.stub}@${c.site.toString(16)}`).join(','));
    const parts = calls.map((c, i) => (groupOf.has(i) ? '' : c));
    for (const g of groups) parts.push(g.map((i) => calls[i]).sort().join('|'));
    const key = JSON.stringify(e.ending, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v)) + '#' + parts.join('#');
    const g = groupsMap.get(key);
    if (g) g.members.push(e);
    else groupsMap.set(key, { first: e, members: [e] });
  }
  return [...groupsMap.values()].map((g) => ({ ending: g.first.ending, harts: g.first.harts, runs: sumRuns(g.members), depth: g.first.depth }));
}

export interface JudgeOptions extends Omit<ExploreOptions<MachineState, Observation>, 'key'> {
  /** Merge states equal up to permuting identical harts (default true). */
  readonly symmetry?: boolean;
}

export function judgeScenario(scenario: Scenario, options: JudgeOptions = {}): ScenarioResult {
  const unsupported = unsupportedInstructions(scenario);
  if (unsupported.length) throw new ScenarioError(unsupported);
  const machine = new Machine(scenario.system);
  const executed = executedPredicates(scenario);
  const index: ExecutedIndex = new Map(executed.map((p, i) => [p, i]));
  const budget = { ...scenario.budget, ...options.budget };
  const observer = scenarioObserver(scenario, executed);
  const groups = options.symmetry === false ? [] : symmetryGroups(scenario);
  const key = groups.length ? symmetricKey(machine, groups, (o) => observer.actorKeys!(o)) : undefined;
  const r = explore(machine, observer, { ...options, budget, ...(key ? { key } : {}) });
  const ended: Ended[] = r.terminals.map((t) => ({
    index: t.index,
    ending: machine.ending(t.state),
    harts: t.observation.harts.map((h) => ({ calls: h.calls, signature: h.signature, executed: h.executed })),
    runs: t.runs,
    depth: t.depth,
  }));
  const replayed = new Map<number, Run>();
  const replay = (e: Ended): Run => {
    let run = replayed.get(e.index);
    if (!run) {
      const choices = r.choicesTo(e.index);
      const steps = machine.replay(choices).map(({ transition, events }) => ({ transition, events }));
      run = { choices, steps, ending: e.ending };
      replayed.set(e.index, run);
    }
    return run;
  };
  const claims = scenario.claims.map((c) => judgeClaim(c, ended, index, r.complete, replay));
  const table = scenario.table && judgeTable(scenario.table, ended, index, r.complete, replay);
  const verdicts = [...claims.map((c) => c.verdict), ...(table?.rows.map((row) => row.verdict) ?? [])];
  if (!r.complete) verdicts.push('incomplete');
  return {
    scenario,
    verdict: worst(verdicts),
    claims,
    ...(table ? { table } : {}),
    outcomes: groupOutcomes(ended, groups),
    symmetry: groups,
    stats: r.stats,
    complete: r.complete,
    ...(r.stopped ? { stopped: r.stopped } : {}),
  };
}
